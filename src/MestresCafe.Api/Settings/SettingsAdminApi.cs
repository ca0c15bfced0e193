using System.Text.Json;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace MestresCafe.Api.Settings;

/// <summary>
/// /api/admin/settings (settings:write): system_configurations with what is in force on the
/// answering server. A change is checked against the key's type, range and related keys (422 with
/// the reason otherwise), written with an audit row holding the old and new values, applied here
/// and broadcast to every server.
/// </summary>
public static class SettingsAdminApi
{
    public const string Permission = "settings:write";
    private const string Key = "/{key:maxlength(100):regex(^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$)}";

    public static RouteGroupBuilder MapSettingsAdminApi(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/admin/settings").WithTags("Back office: settings")
            .RequireAuthorization().RequirePermission(Permission);
        settings.MapGet("/", ListAsync)
            .WithName("ListSettings")
            .WithSummary("Every setting: its stored value and type, and for a live setting its range, the option it sets and the value in force on this server.");
        settings.MapGet(Key, GetAsync)
            .WithName("GetSetting")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One setting.");
        settings.MapPut(Key, ChangeAsync)
            .WithName("ChangeSetting")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Changes a setting's value (a string, number, boolean or JSON); every server applies it within seconds. Audited with the old and new values.");
        return settings;
    }

    private static async Task<Ok<IReadOnlyList<SettingView>>> ListAsync(SettingsStore store, IConfiguration configuration, LiveSettings live, CancellationToken cancellationToken)
    {
        var rows = await store.ListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SettingView>>(rows.Select(r => SettingView.From(r, configuration, live)).ToList());
    }

    private static async Task<Results<Ok<SettingView>, ProblemHttpResult>> GetAsync(
        string key, SettingsStore store, IConfiguration configuration, LiveSettings live, CancellationToken cancellationToken)
    {
        var row = (await store.ListAsync(cancellationToken)).FirstOrDefault(r => r.Key == key);
        return row is null ? Problems.NotFound($"No setting {key}.") : TypedResults.Ok(SettingView.From(row, configuration, live));
    }

    private static async Task<Results<Ok<SettingView>, ProblemHttpResult>> ChangeAsync(
        string key, SettingChangeRequest request, SettingsStore store, LiveSettings live, IConfiguration configuration, HttpContext http, CancellationToken cancellationToken)
    {
        var value = request.Value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => request.Value.GetString(),
            _ => request.Value.GetRawText(),
        };
        var definition = SettingCatalog.Find(key);
        var change = await store.ChangeAsync(key, value, definition?.Type, SettingCatalog.Related(key),
            (type, current) => SettingRules.Check(key, type, value, current), AuditActors.From(http), cancellationToken);
        switch (change.Outcome)
        {
            case SettingChangeOutcome.NotFound:
                return Problems.NotFound($"No setting {key}.");
            case SettingChangeOutcome.Refused:
                return Problems.Unprocessable("value", change.Refusal!);
            case SettingChangeOutcome.Changed when definition is not null:
                // Before answering: the caller's next request, on this server, sees the new value.
                await live.PublishChangeAsync(cancellationToken);
                break;
        }

        return TypedResults.Ok(SettingView.From(change.Row!, configuration, live));
    }
}

/// <summary>The body of a change: the new value in its JSON form (<c>30</c>, <c>"19.90"</c>, <c>true</c>, <c>[...]</c>).</summary>
public sealed record SettingChangeRequest(JsonElement Value);

/// <summary>
/// A setting as the back office sees it. <see cref="InForce"/> is what this server's options read
/// at <see cref="ConfigurationPath"/>; <see cref="Overridden"/> says a deployment setting
/// (environment variable, command line) wins over the table there.
/// </summary>
public sealed record SettingView(
    string Key, string? Value, string Type, string? Description, bool IsPublic, DateTimeOffset UpdatedAt, long? UpdatedBy,
    bool Live, string? ConfigurationPath, decimal? Min, decimal? Max, string? InForce, bool Overridden)
{
    public static SettingView From(SettingRow row, IConfiguration configuration, LiveSettings live)
    {
        var definition = SettingCatalog.Find(row.Key);
        var inForce = definition is null ? null : configuration[definition.ConfigurationPath];
        var fromTable = definition is null ? null : live.InForce.GetValueOrDefault(definition.ConfigurationPath);
        return new SettingView(row.Key, row.Value, row.Type, row.Description, row.IsPublic, row.UpdatedAt, row.UpdatedBy,
            definition is not null, definition?.ConfigurationPath, definition?.Min, definition?.Max, inForce,
            fromTable is not null && inForce != fromTable);
    }
}
