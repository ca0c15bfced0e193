using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Purchasing;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Customers.CustomerSteps;

namespace MestresCafe.Api.Tests.Customers;

/// <summary>Groups and memberships with expiry through the staff API; a group coupon applies to current members only; the 360° view.</summary>
public sealed class CustomerGroupsApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_group_coupon_applies_to_a_current_member_and_not_to_others_nor_after_the_membership_ends()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var member = await host.CreateSignedInClientAsync();
        using var outsider = await host.CreateSignedInClientAsync();
        var groupId = await CreateGroupAsync(manager, "Cafeterias " + Guid.NewGuid().ToString("N")[..6], 10m);
        var code = "GRUPO" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        using var coupon = await manager.Http.PostAsJsonAsync("/api/admin/coupons",
            new { code, type = "fixed_amount", value = 5, conditions = new { customerGroupIds = new[] { groupId } } });
        Assert.Equal(HttpStatusCode.Created, coupon.StatusCode);

        using var past = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{member.CustomerId}/groups/{groupId}", new { expiresAt = DateTimeOffset.UtcNow.AddDays(-1) });
        Assert.Equal(["expiresAt"], await ErrorKeysAsync(past, HttpStatusCode.UnprocessableEntity));
        using var joined = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{member.CustomerId}/groups/{groupId}", new { expiresAt = DateTimeOffset.UtcNow.AddDays(30) });
        Assert.True((await joined.JsonAsync(HttpStatusCode.OK)).GetProperty("isCurrent").GetBoolean());

        using var memberOrder = await Storefront.CheckoutOneItemAsync(host, member.Http, 40m, code, "grp-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(5m, (await memberOrder.JsonAsync(HttpStatusCode.Created)).GetProperty("totals").GetProperty("discount").GetDecimal());
        using var outsiderOrder = await Storefront.CheckoutOneItemAsync(host, outsider.Http, 40m, code, "grp-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outsiderOrder.StatusCode);

        using var left = await manager.Http.DeleteAsync($"/api/admin/customers/{member.CustomerId}/groups/{groupId}");
        Assert.False((await left.JsonAsync(HttpStatusCode.OK)).GetProperty("isCurrent").GetBoolean());
        using var afterLeaving = await Storefront.CheckoutOneItemAsync(host, member.Http, 40m, code, "grp-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, afterLeaving.StatusCode);

        var memberships = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/customers/{member.CustomerId}/groups");
        Assert.False(Assert.Single(memberships.EnumerateArray()).GetProperty("isActive").GetBoolean());
        Assert.Equal("crm.customer_group_member.join,crm.customer_group_member.leave", await host.Database.ScalarAsync<string>(
            "select string_agg(action, ',' order by id) from audit_logs where table_name = 'customer_group_members' and user_id = $1", manager.UserId));
    }

    [Fact]
    public async Task A_member_pays_the_group_price_on_each_line_and_a_coupon_applies_on_top_of_it()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var member = await host.CreateSignedInClientAsync();
        var groupId = await CreateGroupAsync(manager, "Cafeterias parceiras " + Guid.NewGuid().ToString("N")[..6], 10m);
        using var joined = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{member.CustomerId}/groups/{groupId}", new { });
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        var code = "TOPO" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        using var coupon = await manager.Http.PostAsJsonAsync("/api/admin/coupons", new { code, type = "percentage", value = 10 });
        Assert.Equal(HttpStatusCode.Created, coupon.StatusCode);

        using var placed = await Storefront.CheckoutOneItemAsync(host, member.Http, 40m, code, "gp-" + Guid.NewGuid().ToString("N"));
        var order = await placed.JsonAsync(HttpStatusCode.Created);

        // 40.00 less 10% for the group is 36.00 on the line; the coupon's 10% is of 36.00, not of 40.00.
        var line = Assert.Single(order.GetProperty("lines").EnumerateArray());
        Assert.Equal((36.00m, 36.00m, 40.00m, 10m), (line.GetProperty("unitPrice").GetDecimal(), line.GetProperty("lineTotal").GetDecimal(),
            line.GetProperty("listUnitPrice").GetDecimal(), line.GetProperty("groupDiscountPercentage").GetDecimal()));
        Assert.Equal((36.00m, 3.60m), (order.GetProperty("totals").GetProperty("subtotal").GetDecimal(), order.GetProperty("totals").GetProperty("discount").GetDecimal()));
        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            """
            select count(*) from order_items i join orders o on o.id = i.order_id
            where o.order_number = $1 and i.unit_price = 36.00 and (i.product_data->>'listUnitPrice')::numeric = 40.00
            """, order.GetProperty("orderNumber").GetString()!) == 1));

        // The cart shows the member the price checkout will charge.
        var sku = "GP-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Database.InsertItemAsync(sku, 5, 40m);
        using var added = await member.Http.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 2 });
        var cart = await added.JsonAsync(HttpStatusCode.OK);
        Assert.Equal((36.00m, 72.00m), (cart.GetProperty("lines")[0].GetProperty("unitPrice").GetDecimal(), cart.GetProperty("subtotal").GetDecimal()));

        using var outsider = await host.CreateSignedInClientAsync();
        using var full = await Storefront.CheckoutOneItemAsync(host, outsider.Http, 40m, null, "gp-" + Guid.NewGuid().ToString("N"));
        var outsiderLine = (await full.JsonAsync(HttpStatusCode.Created)).GetProperty("lines")[0];
        Assert.Equal((40.00m, JsonValueKind.Null), (outsiderLine.GetProperty("unitPrice").GetDecimal(), outsiderLine.GetProperty("listUnitPrice").ValueKind));
    }

    [Fact]
    public async Task Groups_are_validated_and_a_deactivated_group_takes_no_members()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var buyer = await host.CreateSignedInClientAsync();

        using var tooMuch = await manager.Http.PostAsJsonAsync("/api/admin/customer-groups", new { name = "Demais", discountPercentage = 120 });
        using var noName = await manager.Http.PostAsJsonAsync("/api/admin/customer-groups", new { discountPercentage = 5 });
        Assert.Equal(["discountPercentage"], await ErrorKeysAsync(tooMuch));
        Assert.Equal(["name"], await ErrorKeysAsync(noName));

        var groupId = await CreateGroupAsync(manager, "Escritórios " + Guid.NewGuid().ToString("N")[..6], 7.5m);
        using var off = await manager.Http.DeleteAsync($"/api/admin/customer-groups/{groupId}");
        Assert.False((await off.JsonAsync(HttpStatusCode.OK)).GetProperty("isActive").GetBoolean());
        using var join = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{buyer.CustomerId}/groups/{groupId}", new { });
        using var unknown = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{buyer.CustomerId}/groups/999999999", new { });
        using var byCustomer = await buyer.Http.PutAsJsonAsync($"/api/admin/customers/{buyer.CustomerId}/groups/{groupId}", new { });
        Assert.Equal(["groupId"], await ErrorKeysAsync(join, HttpStatusCode.UnprocessableEntity));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (unknown.StatusCode, byCustomer.StatusCode));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from customer_group_members where customer_id = $1", buyer.CustomerId!.Value));
    }

    [Fact]
    public async Task The_overview_shows_profile_addresses_orders_groups_and_a_lifetime_value_of_what_was_paid()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var buyer = await host.CreateSignedInClientAsync();
        await BecomeCompanyAsync(buyer.Http, "Restaurante Visão 360");
        await AddAddressAsync(buyer.Http, Address("Cozinha do restaurante"));
        var groupId = await CreateGroupAsync(manager, "Restaurantes " + Guid.NewGuid().ToString("N")[..6], 10m);
        using var joined = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{buyer.CustomerId}/groups/{groupId}", new { });
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        using var paid = await Storefront.CheckoutOneItemAsync(host, buyer.Http, 50m, null, "ovw-" + Guid.NewGuid().ToString("N"));
        var paidOrder = await paid.JsonAsync(HttpStatusCode.Created);
        await Storefront.CaptureAsync(host, paidOrder);
        using var unpaid = await Storefront.CheckoutOneItemAsync(host, buyer.Http, 70m, null, "ovw-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.Created, unpaid.StatusCode);
        var paidTotal = paidOrder.GetProperty("totals").GetProperty("total").GetDecimal();

        JsonElement overview = default;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            overview = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/customers/{buyer.CustomerId}/overview");
            return overview.GetProperty("orders").GetArrayLength() == 2 && overview.GetProperty("orderCount").GetInt64() == 1;
        }));

        Assert.Equal(("Restaurante Visão 360", buyer.Email), (overview.GetProperty("profile").GetProperty("companyName").GetString(),
            overview.GetProperty("profile").GetProperty("email").GetString()));
        Assert.Equal("Cozinha do restaurante", Assert.Single(overview.GetProperty("addresses").EnumerateArray()).GetProperty("recipientName").GetString());
        Assert.Equal((groupId, true), (Assert.Single(overview.GetProperty("groups").EnumerateArray()).GetProperty("groupId").GetInt64(),
            overview.GetProperty("groups")[0].GetProperty("isCurrent").GetBoolean()));
        Assert.Equal(paidTotal, overview.GetProperty("lifetimeValue").GetDecimal());

        using var missing = await manager.Http.GetAsync("/api/admin/customers/999999999/overview");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<long> CreateGroupAsync(SignedInClient manager, string name, decimal discount)
    {
        using var response = await manager.Http.PostAsJsonAsync("/api/admin/customer-groups",
            new { name, description = "Parceiros", discountPercentage = discount, conditions = new { minimumOrderAmount = 20 } });
        var group = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal(discount, group.GetProperty("discountPercentage").GetDecimal());
        return group.GetProperty("id").GetInt64();
    }
}
