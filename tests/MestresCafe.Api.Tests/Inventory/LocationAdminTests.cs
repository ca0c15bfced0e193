using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Purchasing;

namespace MestresCafe.Api.Tests.Inventory;

/// <summary>Stock locations: created, listed, changed and deactivated by the back office, validated and audited.</summary>
public sealed class LocationAdminTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Base = "/api/admin/inventory/locations";

    [Fact]
    public async Task A_location_is_created_listed_renamed_and_deactivated_each_change_audited()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var code = NewCode();

        using var created = await manager.Http.PostAsJsonAsync(Base, new { code = " " + code.ToLowerInvariant() + " ", name = "Loja Savassi", kind = "shop" });
        var location = await created.JsonAsync(HttpStatusCode.Created);
        var id = location.GetProperty("id").GetInt64();
        Assert.Equal((code, "Loja Savassi", "shop", true),
            (location.GetProperty("code").GetString(), location.GetProperty("name").GetString(), location.GetProperty("kind").GetString(), location.GetProperty("isActive").GetBoolean()));

        var listed = await manager.Http.GetFromJsonAsync<JsonElement>(Base);
        var codes = listed.EnumerateArray().Select(l => l.GetProperty("code").GetString()).ToList();
        Assert.Contains("CD-SP", codes);
        Assert.Contains(code, codes);

        using var renamed = await manager.Http.PatchAsJsonAsync($"{Base}/{id}", new { name = "Loja Savassi BH", code = "OUTRO" });
        var after = await renamed.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Loja Savassi BH", code), (after.GetProperty("name").GetString(), after.GetProperty("code").GetString()));

        using var deactivated = await manager.Http.DeleteAsync($"{Base}/{id}");
        Assert.False((await deactivated.JsonAsync(HttpStatusCode.OK)).GetProperty("isActive").GetBoolean());
        var active = await manager.Http.GetFromJsonAsync<JsonElement>($"{Base}?active=true");
        Assert.DoesNotContain(code, active.EnumerateArray().Select(l => l.GetProperty("code").GetString()));

        Assert.Equal("inventory.location.create,inventory.location.update,inventory.location.deactivate", await host.Database.ScalarAsync<string>(
            "select string_agg(action, ',' order by id) from audit_logs where table_name = 'locations' and record_id = $1 and user_id = $2", id, manager.UserId));
    }

    [Fact]
    public async Task Bad_or_duplicate_locations_are_refused_and_nothing_is_written()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var before = await host.Database.ScalarAsync<long>("select count(*) from locations");

        using var badCode = await manager.Http.PostAsJsonAsync(Base, new { code = "CD SP!", name = "Errado" });
        using var badKind = await manager.Http.PostAsJsonAsync(Base, new { code = NewCode(), name = "Errado", kind = "garage" });
        using var noName = await manager.Http.PostAsJsonAsync(Base, new { code = NewCode() });
        using var duplicate = await manager.Http.PostAsJsonAsync(Base, new { code = "cd-sp", name = "De novo" });

        Assert.Equal(["code"], await ErrorKeysAsync(badCode));
        Assert.Equal(["kind"], await ErrorKeysAsync(badKind));
        Assert.Equal(["name"], await ErrorKeysAsync(noName));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(before, await host.Database.ScalarAsync<long>("select count(*) from locations"));
    }

    [Fact]
    public async Task Support_staff_cannot_create_locations()
    {
        using var support = await host.CreateSignedInClientAsync("support");
        using var create = await support.Http.PostAsJsonAsync(Base, new { code = NewCode(), name = "Sem permissão" });
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
    }

    internal static string NewCode() => "T-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private static async Task<IEnumerable<string>> ErrorKeysAsync(HttpResponseMessage response) =>
        (await response.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
}
