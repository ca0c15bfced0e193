using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Privacy;

/// <summary>LGPD erasure: on the customer's request and by staff, complete, audited and idempotent.</summary>
public sealed class ErasureTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task An_erased_customer_s_personal_data_appears_nowhere_in_the_database_or_in_redis()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");
        using var manager = await host.CreateSignedInClientAsync("manager");
        var person = Person.New();
        using (var profile = await customer.Http.PatchAsJsonAsync("/api/me", new { firstName = person.FirstName, lastName = person.LastName, phone = person.Phone }))
        {
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        }

        await host.Database.ScalarAsync<int>(
            "update customers set tax_id = $1, billing_address = jsonb_build_object('street', $2::text, 'postalCode', $3::text, 'city', 'Campinas') where id = $4 returning 1",
            person.Cpf, person.Street, person.PostalCode, customer.CustomerId!.Value);
        await host.Database.ScalarAsync<int>(
            "insert into newsletter_subscriptions (email, status, subscribed_at) values ($1, 'subscribed', now()) returning 1", customer.Email);
        await host.Database.ScalarAsync<int>(
            "insert into leads (first_name, last_name, email, phone, company, notes) values ($1, $2, $3, $4, 'Café do Centro', $5) returning 1",
            person.FirstName, person.LastName, customer.Email, person.Phone, "Falar com " + person.FirstName);
        using (var wrongLogin = await host.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = customer.Email, password = "not-the-password" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrongLogin.StatusCode);
        }

        // A paid order (its confirmation mail queued), and a published review on a cached product page.
        var sku = "LGPD-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var address = new
        {
            recipientName = person.FirstName + " " + person.LastName, street = person.Street, number = "77", district = "Cambuí",
            city = "Campinas", state = "SP", postalCode = person.PostalCode, phone = person.Phone,
        };
        using (var saved = await customer.Http.PostAsJsonAsync("/api/me/addresses", address))
        {
            Assert.Equal(HttpStatusCode.Created, saved.StatusCode); // the address book, too
        }

        using var checkout = await Storefront.CheckoutOneItemAsync(host, customer.Http, 80m, null, Guid.NewGuid().ToString(), address, sku);
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        var order = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        await Storefront.CaptureAsync(host, order);
        var orderNumber = order.GetProperty("orderNumber").GetString()!;
        Assert.True(await Eventually.TrueAsync(async () =>
            await host.Database.ScalarAsync<long>("select count(*) from orders where order_number = $1 and status = 'paid'", orderNumber) == 1));
        using var reviewed = await customer.Http.PostAsJsonAsync($"/api/catalog/products/{sku.ToLowerInvariant()}/reviews", new { rating = 5, content = "Ótimo." });
        Assert.Equal(HttpStatusCode.Created, reviewed.StatusCode);
        var reviewId = (await reviewed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using (var approved = await manager.Http.PostAsync($"/api/admin/catalog/reviews/{reviewId}/approve", null))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        var page = await host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{sku.ToLowerInvariant()}");
        Assert.StartsWith(person.FirstName, page.GetProperty("reviews")[0].GetProperty("author").GetString());
        var values = person.Values(customer.Email);
        Assert.NotEmpty(await PersonalDataScan.DatabaseAsync(host.Database, values)); // the scan finds them before

        using var erased = await customer.Http.PostAsJsonAsync("/api/me/erasure", new { password = customer.Password });

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        Assert.Empty(await PersonalDataScan.DatabaseAsync(host.Database, values));
        Assert.Empty(await PersonalDataScan.RedisAsync(host.RedisKeyPrefix, values));
        // The order keeps its figures and the tax fields of its address; the account is gone.
        Assert.Equal("{\"city\": \"Campinas\", \"state\": \"SP\"}",
            await host.Database.ScalarAsync<string>("select shipping_address::text from orders where order_number = $1 and total_amount > 0", orderNumber));
        Assert.Equal(HttpStatusCode.Unauthorized, (await customer.Http.GetAsync("/api/me")).StatusCode);
        using var login = await host.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = customer.Email, password = customer.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var after = await host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/catalog/products/{sku.ToLowerInvariant()}");
        Assert.Equal("Cliente", after.GetProperty("reviews")[0].GetProperty("author").GetString());
    }

    [Fact]
    public async Task A_wrong_password_erases_nothing()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");

        using var response = await customer.Http.PostAsJsonAsync("/api/me/erasure", new { password = "not-my-password" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("password", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(customer.Email, await host.Database.ScalarAsync<string>("select email from users where id = $1", customer.UserId));
        Assert.Equal(HttpStatusCode.OK, (await customer.Http.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Staff_erasure_is_audited_once_and_repeating_it_answers_the_first_erasure()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var first = await admin.Http.PostAsync($"/api/admin/users/{customer.UserId}/erasure", null);
        using var second = await admin.Http.PostAsync($"/api/admin/users/{customer.UserId}/erasure", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var one = await first.Content.ReadFromJsonAsync<JsonElement>();
        var two = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(one.GetProperty("alreadyErased").GetBoolean());
        Assert.True(two.GetProperty("alreadyErased").GetBoolean());
        Assert.Equal(one.GetProperty("erasedAt").GetDateTimeOffset(), two.GetProperty("erasedAt").GetDateTimeOffset());
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'privacy.erasure' and record_id = $1 and user_id = $2", customer.UserId, admin.UserId));
        Assert.Equal("staff", await host.Database.ScalarAsync<string>("select source from personal_data_erasures where user_id = $1", customer.UserId));
    }

    [Fact]
    public async Task Staff_accounts_and_unknown_users_are_refused_and_customers_cannot_erase_others()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        using var support = await host.CreateSignedInClientAsync("support");
        using var customer = await host.CreateSignedInClientAsync("customer");

        using var staff = await admin.Http.PostAsync($"/api/admin/users/{support.UserId}/erasure", null);
        using var unknown = await admin.Http.PostAsync("/api/admin/users/999999999/erasure", null);
        using var forbidden = await customer.Http.PostAsync($"/api/admin/users/{support.UserId}/erasure", null);

        Assert.Equal(HttpStatusCode.Conflict, staff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(support.Email, await host.Database.ScalarAsync<string>("select email from users where id = $1", support.UserId));
    }

    /// <summary>Values no other test writes, so that finding one anywhere means the erasure missed it.</summary>
    private sealed record Person(string FirstName, string LastName, string Phone, string Cpf, string Street, string PostalCode)
    {
        public static Person New()
        {
            var letters = new string(Enumerable.Range(0, 8).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());
            return new Person("Joaquina" + letters, "Bittencourt" + letters, "+5519" + Digits(9), Digits(11), "Rua Segredo " + letters, Digits(8));
        }

        public IReadOnlyList<string> Values(string email) => [FirstName, LastName, Phone.TrimStart('+'), Cpf, Street, PostalCode, email];

        private static string Digits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => Random.Shared.Next(10)));
    }
}
