using System.Net;
using System.Net.Http.Json;
using System.Text;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Catalog;

public sealed class ReviewsAndWishlistTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Product = "moedor-hario-skerton-pro";

    [Fact]
    public async Task A_buyer_reviews_once_and_the_review_is_published_after_moderation()
    {
        using var buyer = await host.CreateSignedInClientAsync("customer");
        await host.Database.RecordPurchaseAsync(buyer.UserId, Product);
        using var manager = await host.CreateSignedInClientAsync("manager");
        var anonymous = host.CreateClient();
        _ = await anonymous.GetJsonAsync($"/api/catalog/products/{Product}"); // cached before the review exists

        using var first = await buyer.Http.PostAsJsonAsync($"/api/catalog/products/{Product}/reviews",
            new { rating = 5, title = "Excelente", content = "Moagem uniforme.", isApproved = true, userId = 1 });
        using var second = await buyer.Http.PostAsJsonAsync($"/api/catalog/products/{Product}/reviews", new { rating = 1 });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var review = await first.JsonAsync();
        Assert.False(review.GetProperty("isApproved").GetBoolean());
        Assert.Equal(buyer.UserId, review.GetProperty("userId").GetInt64());

        var pending = await anonymous.GetJsonAsync($"/api/catalog/products/{Product}");
        Assert.Equal(0, pending.GetProperty("rating").GetProperty("count").GetInt32());
        var queue = await manager.Http.GetJsonAsync("/api/admin/catalog/reviews?approved=false");
        Assert.Contains(queue.EnumerateArray(), r => r.GetProperty("id").GetInt64() == review.GetProperty("id").GetInt64());

        using var approve = await manager.Http.PostAsync($"/api/admin/catalog/reviews/{review.GetProperty("id").GetInt64()}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);

        var published = await anonymous.GetJsonAsync($"/api/catalog/products/{Product}");
        Assert.Equal(1, published.GetProperty("rating").GetProperty("count").GetInt32());
        Assert.Equal(5m, published.GetProperty("rating").GetProperty("average").GetDecimal());
        Assert.Equal("Excelente", published.GetProperty("reviews")[0].GetProperty("title").GetString());
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            $"select count(*) from audit_logs where action = 'review.approve' and record_id = {review.GetProperty("id").GetInt64()} and not (old_values ->> 'is_approved')::boolean and (new_values ->> 'is_approved')::boolean"));
    }

    [Fact]
    public async Task A_customer_who_did_not_buy_cannot_review()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");
        // An unpaid or cancelled order is not a purchase.
        await host.Database.RecordPurchaseAsync(customer.UserId, Product, status: "cancelled");
        await host.Database.RecordPurchaseAsync(customer.UserId, Product, status: "awaiting_payment");

        using var response = await customer.Http.PostAsJsonAsync($"/api/catalog/products/{Product}/reviews", new { rating = 4 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.Database.ScalarAsync<long>($"select count(*) from product_reviews where user_id = {customer.UserId}"));
    }

    [Theory]
    [InlineData("""{"rating": 0}""")]
    [InlineData("""{"rating": 6}""")]
    [InlineData("""{"rating": -3}""")]
    [InlineData("""{"title": "sem nota"}""")]
    [InlineData("""{"rating": "cinco"}""")]
    [InlineData("{\"rating\": 5, \"content\": \"")]
    public async Task Malformed_reviews_get_400_and_write_nothing(string body)
    {
        using var buyer = await host.CreateSignedInClientAsync("customer");
        await host.Database.RecordPurchaseAsync(buyer.UserId, Product);

        using var response = await buyer.Http.PostAsync($"/api/catalog/products/{Product}/reviews", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await host.Database.ScalarAsync<long>($"select count(*) from product_reviews where user_id = {buyer.UserId}"));
    }

    [Fact]
    public async Task A_huge_review_is_rejected()
    {
        using var buyer = await host.CreateSignedInClientAsync("customer");
        await host.Database.RecordPurchaseAsync(buyer.UserId, Product);

        using var response = await buyer.Http.PostAsJsonAsync($"/api/catalog/products/{Product}/reviews", new { rating = 5, content = new string('a', 200_000) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await host.Database.ScalarAsync<long>($"select count(*) from product_reviews where user_id = {buyer.UserId}"));
    }

    [Fact]
    public async Task Reviewing_needs_a_signed_in_customer()
    {
        using var anonymous = await host.CreateClient().PostAsJsonAsync($"/api/catalog/products/{Product}/reviews", new { rating = 5 });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Wishlist_add_list_and_remove_are_per_customer()
    {
        using var ana = await host.CreateSignedInClientAsync("customer");
        using var bruno = await host.CreateSignedInClientAsync("customer");
        var productId = await host.Database.ScalarAsync<long>($"select id from products where slug = '{Product}'");

        using var added = await ana.Http.PostAsJsonAsync("/api/wishlist", new { productId });
        using var again = await ana.Http.PostAsJsonAsync("/api/wishlist", new { productId });
        using var unknown = await ana.Http.PostAsJsonAsync("/api/wishlist", new { productId = 987_654 });
        using var invalid = await ana.Http.PostAsJsonAsync("/api/wishlist", new { productId = -1 });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var anaList = await ana.Http.GetJsonAsync("/api/wishlist");
        Assert.Equal([Product], anaList.EnumerateArray().Select(i => i.GetProperty("slug").GetString()!).ToArray());
        Assert.Equal(0, (await bruno.Http.GetJsonAsync("/api/wishlist")).GetArrayLength());

        // Bruno cannot remove Ana's line: his own wishlist has no such product.
        using var brunoRemoves = await bruno.Http.DeleteAsync($"/api/wishlist/{productId}");
        Assert.Equal(HttpStatusCode.NotFound, brunoRemoves.StatusCode);
        using var removed = await ana.Http.DeleteAsync($"/api/wishlist/{productId}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(0, (await ana.Http.GetJsonAsync("/api/wishlist")).GetArrayLength());
        Assert.Equal(1, await host.Database.ScalarAsync<long>($"select count(*) from audit_logs where action = 'wishlist.add' and user_id = {ana.UserId}"));
        Assert.Equal(1, await host.Database.ScalarAsync<long>($"select count(*) from audit_logs where action = 'wishlist.remove' and user_id = {ana.UserId}"));
    }

    [Fact]
    public async Task Wishlist_needs_sign_in()
    {
        using var response = await host.CreateClient().GetAsync("/api/wishlist");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
