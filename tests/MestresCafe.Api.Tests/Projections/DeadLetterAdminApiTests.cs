using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Accounts;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Data.Projections;
using Microsoft.Extensions.DependencyInjection;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Projections;

/// <summary>Operators list the read side's dead letters and resolve them, audited; others may not.</summary>
public sealed class DeadLetterAdminApiTests(UnlimitedHostFixture fixture) : IClassFixture<UnlimitedHostFixture>
{
    private readonly ApiTestHost _host = fixture.Host;

    [Fact]
    public async Task An_admin_lists_unresolved_dead_letters_and_resolves_one_with_an_audit_row()
    {
        var store = _host.Services.GetRequiredService<DeadLetterStore>();
        var grainKey = "MC-" + Guid.NewGuid().ToString("N")[..8];
        var refused = Letter(grainKey, Guid.NewGuid());
        await store.RecordAsync(refused, CancellationToken.None);
        // Recorded again after a crash before the outbox removal: still one row.
        await store.RecordAsync(refused, CancellationToken.None);
        await store.RecordAsync(Letter(grainKey, Guid.NewGuid()), CancellationToken.None);
        using var admin = await _host.CreateSignedInClientAsync("admin");

        var list = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/projections/dead-letters");
        var mine = list.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("grainKey").GetString() == grainKey).ToList();
        Assert.Equal(2, mine.Count);
        var first = mine.Single(i => i.GetProperty("eventId").GetGuid() == refused.EventId);
        Assert.Equal("23514", first.GetProperty("sqlState").GetString());
        Assert.Equal("processing", JsonDocument.Parse(first.GetProperty("payload").GetString()!).RootElement.GetProperty("to").GetString());
        var id = first.GetProperty("id").GetInt64();

        using var resolve = await admin.Http.PostAsync($"/api/admin/projections/dead-letters/{id}/resolve", null);
        Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        var after = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/projections/dead-letters");
        var all = await admin.Http.GetFromJsonAsync<JsonElement>("/api/admin/projections/dead-letters?includeResolved=true");

        Assert.DoesNotContain(after.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == id);
        Assert.Equal(list.GetProperty("unresolved").GetInt64() - 1, after.GetProperty("unresolved").GetInt64());
        Assert.Equal(admin.UserId, all.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt64() == id).GetProperty("resolvedBy").GetInt64());
        Assert.Equal(1, await _host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'projection_dead_letter.resolve' and record_id = $1 and user_id = $2", id, admin.UserId));
    }

    [Fact]
    public async Task Resolving_an_unknown_dead_letter_is_a_404_and_staff_without_the_permission_get_403()
    {
        using var admin = await _host.CreateSignedInClientAsync("admin");
        using var manager = await _host.CreateSignedInClientAsync("manager");

        using var unknown = await admin.Http.PostAsync("/api/admin/projections/dead-letters/999999999/resolve", null);
        using var list = await manager.Http.GetAsync("/api/admin/projections/dead-letters");
        using var resolve = await manager.Http.PostAsync("/api/admin/projections/dead-letters/1/resolve", null);

        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        await AssertProblemAsync(list, HttpStatusCode.Forbidden);
        await AssertProblemAsync(resolve, HttpStatusCode.Forbidden);
    }

    private static DeadLetter Letter(string grainKey, Guid eventId)
    {
        var at = DateTimeOffset.UtcNow;
        return new DeadLetter("OrderGrain", grainKey, eventId, "OrderStatusChanged", $$"""{"eventId":"{{eventId}}","to":"processing"}""",
            "23514: new row for relation \"order_status_history\" violates check constraint", "23514", 10, at.AddSeconds(-30), at);
    }
}
