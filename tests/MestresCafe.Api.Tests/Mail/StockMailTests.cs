using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using MimeKit;

namespace MestresCafe.Api.Tests.Mail;

/// <summary>Back-in-stock e-mails to customers who asked, and low-stock e-mails to staff, each once per crossing, over real SMTP.</summary>
public sealed class StockMailTests(MailHostFixture fixture) : IClassFixture<MailHostFixture>
{
    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task Customers_who_asked_get_one_email_when_the_item_comes_back_and_none_at_the_next_crossing()
    {
        using var ana = await Host.CreateSignedInClientAsync();
        using var bia = await Host.CreateSignedInClientAsync();
        using var manager = await Host.CreateSignedInClientAsync("manager");
        var sku = "BIS-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await Host.Database.InsertItemAsync(sku, 0, 54.95m);
        var slug = sku.ToLowerInvariant();

        using var first = await ana.Http.PostAsync($"/api/catalog/products/{slug}/notify-me", null);
        using var again = await ana.Http.PostAsync($"/api/catalog/products/{slug}/notify-me", null);
        using var other = await bia.Http.PostAsync($"/api/catalog/products/{slug}/notify-me", null);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Created), (first.StatusCode, again.StatusCode, other.StatusCode));
        Assert.Equal(await RequestIdAsync(first), await RequestIdAsync(again));

        await RestockAsync(manager.Http, sku, 5);
        foreach (var customer in new[] { ana, bia })
        {
            var message = await WaitForAsync(customer.Email, $"Item {sku} voltou ao estoque");
            Assert.Contains($"/produtos/{slug}", message.TextBody, StringComparison.Ordinal);
            Assert.Contains("R$\u00a054,95", message.TextBody, StringComparison.Ordinal);
        }

        // Out again and back again: the requests were answered, so nobody hears twice.
        await AdjustAsync(manager.Http, sku, -5);
        await RestockAsync(manager.Http, sku, 3);
        Assert.True(await Eventually.TrueAsync(async () => await Host.Database.ScalarAsync<int>(
            "select i.quantity_available from inventory i join products p on p.id = i.product_id where p.sku = $1", sku) == 3));
        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where template = 'back_in_stock' and user_id = any($1)", new[] { ana.UserId, bia.UserId }));
        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from back_in_stock_requests r join products p on p.id = r.product_id where p.sku = $1 and r.status = 'notified'", sku));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.Mail.MessagesTo(ana.Email).Count == 1 && fixture.Mail.MessagesTo(bia.Email).Count == 1)));
    }

    [Fact]
    public async Task Asking_about_an_item_in_stock_or_unknown_is_refused_and_strangers_are_turned_away()
    {
        using var customer = await Host.CreateSignedInClientAsync();
        using var anonymous = Host.CreateClient();
        var sku = "BIS-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await Host.Database.InsertItemAsync(sku, 4);
        var slug = sku.ToLowerInvariant();

        Assert.Equal(HttpStatusCode.Conflict, (await customer.Http.PostAsync($"/api/catalog/products/{slug}/notify-me", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Http.PostAsync("/api/catalog/products/nao-existe-mesmo/notify-me", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.Http.PostAsync($"/api/catalog/products/{slug}/notify-me?variant=NAO-EXISTE", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await customer.Http.PostAsync($"/api/catalog/products/{slug}/notify-me?variant=minusculo", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/catalog/products/{slug}/notify-me", null)).StatusCode);
        Assert.Equal(0, await Host.Database.ScalarAsync<long>("select count(*) from back_in_stock_requests where user_id = $1", customer.UserId));
    }

    [Fact]
    public async Task Staff_with_the_inventory_permission_get_one_low_stock_email_per_crossing_of_the_reorder_point()
    {
        using var manager = await Host.CreateSignedInClientAsync("manager");
        using var customer = await Host.CreateSignedInClientAsync();
        var sku = "LOW-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await Host.Database.InsertItemAsync(sku, 10, reorderPoint: 3);

        await AdjustAsync(manager.Http, sku, -8);
        var alert = await WaitForAsync(manager.Email, $"Estoque no ponto de reposição: {sku}");
        Assert.Contains("chegou a 2 unidade(s)", alert.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Item {sku}", alert.TextBody, StringComparison.Ordinal);

        await AdjustAsync(manager.Http, sku, -1);
        await RestockAsync(manager.Http, sku, 10);
        await AdjustAsync(manager.Http, sku, -9);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.Mail.MessagesTo(manager.Email).Count(m => m.Subject?.EndsWith(sku, StringComparison.Ordinal) == true) == 2)));
        Assert.Equal(2, await Host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where template = 'low_stock' and user_id = $1 and data->'item'->>'sku' = $2", manager.UserId, sku));
        Assert.Equal(0, await Host.Database.ScalarAsync<long>("select count(*) from outbound_messages where user_id = $1", customer.UserId));
    }

    private static async Task RestockAsync(HttpClient http, string sku, int quantity)
    {
        using var response = await http.PostAsJsonAsync($"/api/admin/inventory/{sku}/restock", new { quantity });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task AdjustAsync(HttpClient http, string sku, int change)
    {
        using var response = await http.PostAsJsonAsync($"/api/admin/inventory/{sku}/adjust", new { quantityChange = change, reason = "damaged" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> RequestIdAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString()!;

    private async Task<MimeMessage> WaitForAsync(string recipient, string subject)
    {
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.Mail.MessagesTo(recipient).Any(m => m.Subject == subject)), TimeSpan.FromSeconds(30)),
            $"no message '{subject}' to {recipient}; got: {string.Join(" | ", fixture.Mail.MessagesTo(recipient).Select(m => m.Subject))}");
        return Assert.Single(fixture.Mail.MessagesTo(recipient), m => m.Subject == subject);
    }
}
