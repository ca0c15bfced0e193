using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Cart;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Cart;
using MestresCafe.Testing;
using Microsoft.Extensions.Options;
using static MestresCafe.Api.Tests.Checkout.StoreSteps;

namespace MestresCafe.Api.Tests.Cart;

/// <summary>
/// Visitor carts are reached only with the token the server issued for them: ids a client makes up,
/// alters or signs itself are 404s, and a merge needs the token.
/// </summary>
public sealed class VisitorCartTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_visitor_gets_a_cart_token_on_first_use_and_keeps_the_cart_with_it()
    {
        var sku = await NewItemAsync();
        using var visitor = host.CreateClient();

        var token = await AddToNewVisitorCartAsync(visitor, sku, 2);
        using var again = await visitor.GetAsync("/api/cart");

        Assert.Matches("^[0-9a-f]{32}\\.[A-Za-z0-9_-]{22}$", token);
        Assert.False(again.Headers.Contains(CartApi.VisitorHeader), "a visitor with a token gets no new one");
        var line = Assert.Single((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines").EnumerateArray());
        Assert.Equal((sku, 2), (line.GetProperty("sku").GetString(), line.GetProperty("quantity").GetInt32()));

        // Another visitor without a token gets a cart of their own.
        using var stranger = host.CreateClient();
        using var theirs = await stranger.GetAsync("/api/cart");
        Assert.NotEqual(token, Assert.Single(theirs.Headers.GetValues(CartApi.VisitorHeader)));
        Assert.Equal(0, (await theirs.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task Cart_ids_the_server_did_not_issue_are_refused()
    {
        var sku = await NewItemAsync();
        using var visitor = host.CreateClient();
        var token = await AddToNewVisitorCartAsync(visitor, sku, 1);
        var (id, tag) = (token[..32], token[33..]);
        var signedElsewhere = new VisitorCartTokens(Options.Create(new CartOptions { VisitorTokenKey = new string('k', 40) })).Issue().Token;

        string[] forged =
        [
            "visitor-0123456789ab", // an id the client made up, as the old API accepted
            id, // the id without its tag
            id + "." + (tag[0] == 'A' ? 'B' : 'A') + tag[1..], // the tag altered
            (id[0] == 'a' ? 'b' : 'a') + id[1..] + "." + tag, // another id under this tag
            signedElsewhere, // well formed, signed with another key
        ];
        foreach (var cartId in forged)
        {
            using var client = host.CreateClient();
            client.DefaultRequestHeaders.Add(CartApi.VisitorHeader, cartId);

            using var read = await client.GetAsync("/api/cart");
            using var add = await client.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });

            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
            Assert.Equal("application/problem+json", add.Content.Headers.ContentType?.MediaType);
        }

        // The real cart is untouched.
        var line = Assert.Single((await visitor.GetFromJsonAsync<JsonElement>("/api/cart")).GetProperty("lines").EnumerateArray());
        Assert.Equal(1, line.GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task A_merge_needs_the_token_and_lands_in_the_signed_in_customers_own_cart()
    {
        var sku = await NewItemAsync();
        using var visitor = host.CreateClient();
        var token = await AddToNewVisitorCartAsync(visitor, sku, 2);
        using var thief = await host.CreateSignedInClientAsync();
        using var owner = await host.CreateSignedInClientAsync();

        using var byId = await thief.Http.PostAsJsonAsync("/api/cart/merge", new { cartId = token[..32] });
        using var missing = await thief.Http.PostAsJsonAsync("/api/cart/merge", new { cartId = "" });
        using var merged = await owner.Http.PostAsJsonAsync("/api/cart/merge", new { cartId = token });

        Assert.Equal(HttpStatusCode.NotFound, byId.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal(0, (await thief.Http.GetFromJsonAsync<JsonElement>("/api/cart")).GetProperty("lines").GetArrayLength());
        var line = Assert.Single((await owner.Http.GetFromJsonAsync<JsonElement>("/api/cart")).GetProperty("lines").EnumerateArray());
        Assert.Equal((sku, 2), (line.GetProperty("sku").GetString(), line.GetProperty("quantity").GetInt32()));
        Assert.Equal(0, (await visitor.GetFromJsonAsync<JsonElement>("/api/cart")).GetProperty("lines").GetArrayLength());
    }

    [Fact]
    public async Task A_cart_grain_merges_only_a_visitor_cart_into_a_user_cart()
    {
        var grains = (IGrainFactory)host.Services.GetService(typeof(IGrainFactory))!;
        using var owner = await host.CreateSignedInClientAsync();
        using var other = await host.CreateSignedInClientAsync();
        var victim = grains.GetGrain<ICartGrain>(CartKey.ForUser(owner.UserId));
        await victim.AddAsync(await NewItemAsync(), 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            grains.GetGrain<ICartGrain>(CartKey.ForUser(other.UserId)).MergeFromAsync(CartKey.ForUser(owner.UserId)));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            grains.GetGrain<ICartGrain>(CartKey.ForVisitor("0123456789abcdef0123456789abcdef")).MergeFromAsync(CartKey.ForUser(owner.UserId)));

        Assert.Single((await victim.GetAsync()).Lines);
    }

    private async Task<string> NewItemAsync()
    {
        var sku = "CART-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Database.InsertItemAsync(sku, 20, 30m);
        return sku;
    }
}
