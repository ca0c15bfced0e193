using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using MestresCafe.Data.Admin;
using MestresCafe.Payments;
using Npgsql;

namespace MestresCafe.Data.Payments;

/// <summary>
/// Where checkout and the payment options read the payment methods from. This store reads
/// PostgreSQL; where the API runs, the cached source replaces it (invalidated on every server when
/// the back office changes a method).
/// </summary>
public interface IPaymentMethodSource
{
    Task<IReadOnlyList<PaymentMethodSettings>> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>A back-office change of one method: null leaves a field as it is.</summary>
/// <param name="Configuration">A JSON merge patch of the settings: a key set to null is removed, others are set.</param>
public sealed record PaymentMethodPatch(bool? IsActive, bool? IsDefault, int? SortOrder, JsonObject? Configuration);

/// <summary>The change made (its images for the audit row and the method as it is now), or the errors by key.</summary>
public sealed record PaymentMethodWrite(RowChange? Change, PaymentMethodSettings? Method, Dictionary<string, string[]>? Errors);

/// <summary>payment_methods: read for checkout, changed by the back office inside its audited transaction.</summary>
public sealed class PaymentMethodStore(NpgsqlDataSource dataSource) : IPaymentMethodSource
{
    private const string Columns = "id, name, type, provider, is_active, is_default, sort_order, configuration::text as configuration";

    public async Task<IReadOnlyList<PaymentMethodSettings>> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<MethodRow>(new CommandDefinition(
            $"select {Columns} from payment_methods order by sort_order, id", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSettings()).ToList();
    }

    /// <summary>
    /// Applies <paramref name="patch"/> to method <paramref name="id"/> if the result is valid for its
    /// type (<see cref="PaymentMethodRules"/>); making it the default unmarks the previous default.
    /// </summary>
    public async Task<PaymentMethodWrite?> UpdateAsync(WriteScope write, long id, PaymentMethodPatch patch, CancellationToken cancellationToken)
    {
        var connection = write.Connection;
        var stored = await connection.QuerySingleOrDefaultAsync<MethodRow>(new CommandDefinition(
            $"select {Columns}, to_jsonb(pm)::text as image from payment_methods pm where id = @id for update",
            new { id }, write.Transaction, cancellationToken: cancellationToken));
        if (stored is null)
        {
            return null;
        }

        var configuration = JsonNode.Parse(stored.Configuration)!.AsObject();
        foreach (var (key, value) in patch.Configuration?.ToList() ?? [])
        {
            if (value is null)
            {
                configuration.Remove(key);
            }
            else
            {
                configuration[key] = value.DeepClone();
            }
        }

        PaymentMethodConfig config;
        try
        {
            config = configuration.Deserialize<PaymentMethodConfig>() ?? new PaymentMethodConfig();
        }
        catch (JsonException error)
        {
            return Invalid("configuration." + (error.Path?.TrimStart('$', '.') ?? ""), "Not a number of the expected kind.");
        }

        if (patch.IsDefault == false && stored.IsDefault)
        {
            return Invalid("isDefault", "Make another method the default instead.");
        }

        var isActive = patch.IsActive ?? stored.IsActive;
        var isDefault = patch.IsDefault ?? stored.IsDefault;
        if (PaymentMethodRules.Check(stored.Type, config, isActive, isDefault) is { } errors)
        {
            return new PaymentMethodWrite(null, null, errors);
        }

        if (isDefault && !stored.IsDefault)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update payment_methods set is_default = false where is_default and id <> @id", new { id }, write.Transaction, cancellationToken: cancellationToken));
        }

        var updated = await connection.QuerySingleAsync<MethodRow>(new CommandDefinition(
            $"""
            update payment_methods pm
            set is_active = @isActive, is_default = @isDefault, sort_order = @sortOrder, configuration = @configuration::jsonb
            where id = @id
            returning {Columns}, to_jsonb(pm)::text as image
            """,
            new { id, isActive, isDefault, sortOrder = patch.SortOrder ?? stored.SortOrder, configuration = configuration.ToJsonString() },
            write.Transaction, cancellationToken: cancellationToken));
        return new PaymentMethodWrite(new RowChange(id, Json(stored.Image), Json(updated.Image)), updated.ToSettings(), null);
    }

    private static PaymentMethodWrite Invalid(string key, string message) => new(null, null, new() { [key] = [message] });

    private static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private sealed record MethodRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string Type { get; init; } = "";
        public string Provider { get; init; } = "";
        public bool IsActive { get; init; }
        public bool IsDefault { get; init; }
        public int SortOrder { get; init; }
        public string Configuration { get; init; } = "{}";
        public string? Image { get; init; }

        public PaymentMethodSettings ToSettings() => new(
            Id, Name, Type, Provider, IsActive, IsDefault, SortOrder, ReadConfig(Configuration));

        // A row changed outside the back office (by hand in SQL) with a value of the wrong kind is
        // read as no settings for that method rather than failing every checkout.
        private static PaymentMethodConfig ReadConfig(string json)
        {
            try
            {
                return JsonSerializer.Deserialize<PaymentMethodConfig>(json) ?? new PaymentMethodConfig();
            }
            catch (JsonException)
            {
                return new PaymentMethodConfig();
            }
        }
    }
}
