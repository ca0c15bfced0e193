using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Api.Tests.Purchasing;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Customers.CustomerSteps;

namespace MestresCafe.Api.Tests.Customers;

/// <summary>The address book: one default of each kind while it has addresses, owner-only, and used by checkout by id.</summary>
public sealed class AddressBookApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task The_first_address_is_both_defaults_a_default_moves_when_another_is_named_and_passes_on_when_removed()
    {
        using var buyer = await host.CreateSignedInClientAsync();

        var home = await AddAddressAsync(buyer.Http, Address("Ana Souza"));
        Assert.Equal((true, true, "SP", "01310100"), Flags(home));
        var office = await AddAddressAsync(buyer.Http, Address("Ana no escritório", "Rua Funchal", defaultShipping: true));
        var shop = await AddAddressAsync(buyer.Http, Address("Ana na loja", "Rua Augusta"));

        var book = await BookAsync(buyer);
        Assert.Equal([(true, false), (false, true), (false, false)], book.Select(a => (a.GetProperty("isDefaultBilling").GetBoolean(), a.GetProperty("isDefaultShipping").GetBoolean())));

        using var unset = await buyer.Http.PutAsJsonAsync($"/api/me/addresses/{Id(office)}", Address("Ana no escritório", "Rua Funchal", defaultShipping: false));
        Assert.Equal(["isDefaultShipping"], await ErrorKeysAsync(unset, HttpStatusCode.UnprocessableEntity));

        using var moved = await buyer.Http.PutAsJsonAsync($"/api/me/addresses/{Id(shop)}", Address("Ana na loja", "Rua Augusta, fundos", defaultBilling: true));
        Assert.Equal("Rua Augusta, fundos", (await moved.JsonAsync(HttpStatusCode.OK)).GetProperty("street").GetString());
        using var removed = await buyer.Http.DeleteAsync($"/api/me/addresses/{Id(office)}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        // The shipping default passed to the newest address left (the shop), which also holds billing now.
        book = await BookAsync(buyer);
        Assert.Equal([(Id(home), false, false), (Id(shop), true, true)],
            book.Select(a => (Id(a), a.GetProperty("isDefaultBilling").GetBoolean(), a.GetProperty("isDefaultShipping").GetBoolean())));
        Assert.Equal("crm.customer_address.create,crm.customer_address.create,crm.customer_address.create,crm.customer_address.update,crm.customer_address.delete",
            await host.Database.ScalarAsync<string>(
                "select string_agg(action, ',' order by id) from audit_logs where table_name = 'customer_addresses' and user_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task Another_customers_address_is_not_found_for_change_removal_or_checkout()
    {
        using var owner = await host.CreateSignedInClientAsync();
        using var intruder = await host.CreateSignedInClientAsync();
        var address = await AddAddressAsync(owner.Http, Address());

        using var change = await intruder.Http.PutAsJsonAsync($"/api/me/addresses/{Id(address)}", Address("Outra pessoa"));
        using var removal = await intruder.Http.DeleteAsync($"/api/me/addresses/{Id(address)}");
        using var checkout = await CheckoutAsync(intruder, new { shippingAddressId = Id(address), paymentMethod = "pix" });

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (change.StatusCode, removal.StatusCode, checkout.StatusCode));
        Assert.Equal("Ana Souza", Assert.Single(await BookAsync(owner)).GetProperty("recipientName").GetString());
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from orders where user_id = $1", intruder.UserId));
    }

    [Fact]
    public async Task Checkout_ships_to_and_bills_the_book_addresses_it_names()
    {
        using var buyer = await host.CreateSignedInClientAsync();
        var home = await AddAddressAsync(buyer.Http, Address("Ana Souza"));
        var office = await AddAddressAsync(buyer.Http, Address("Financeiro da Ana", "Rua Funchal"));

        using var both = await CheckoutAsync(buyer, new { shippingAddress = StoreSteps.Address, shippingAddressId = Id(home), paymentMethod = "pix" });
        Assert.Equal(["shippingAddressId"], await ErrorKeysAsync(both));

        using var placed = await CheckoutAsync(buyer, new { shippingAddressId = Id(home), billingAddressId = Id(office), paymentMethod = "pix" });
        var order = await placed.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(("Ana Souza", "Avenida Paulista", "01310100", "SP"),
            (order.GetProperty("shippingAddress").GetProperty("recipientName").GetString(), order.GetProperty("shippingAddress").GetProperty("street").GetString(),
             order.GetProperty("shippingAddress").GetProperty("postalCode").GetString(), order.GetProperty("shippingAddress").GetProperty("state").GetString()));
        Assert.Equal("Rua Funchal", order.GetProperty("billingAddress").GetProperty("street").GetString());
    }

    private async Task<HttpResponseMessage> CheckoutAsync(SignedInClient buyer, object body)
    {
        var sku = "AB-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Database.InsertItemAsync(sku, 5, 30m);
        using var added = await buyer.Http.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", "book-" + Guid.NewGuid().ToString("N"));
        return await buyer.Http.SendAsync(request);
    }

    private static async Task<List<JsonElement>> BookAsync(SignedInClient buyer) =>
        (await buyer.Http.GetFromJsonAsync<JsonElement>("/api/me/addresses")).EnumerateArray().ToList();

    private static long Id(JsonElement address) => address.GetProperty("id").GetInt64();

    private static (bool, bool, string?, string?) Flags(JsonElement address) => (
        address.GetProperty("isDefaultBilling").GetBoolean(), address.GetProperty("isDefaultShipping").GetBoolean(),
        address.GetProperty("state").GetString(), address.GetProperty("postalCode").GetString());
}
