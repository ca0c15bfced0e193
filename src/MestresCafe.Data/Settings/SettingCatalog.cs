using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MestresCafe.Data.Settings;

/// <summary>The declared type of a system_configurations row (its <c>type</c> column, same spelling in snake_case).</summary>
public enum SettingType
{
    String,
    Integer,
    Decimal,
    Boolean,
    Json,
}

/// <summary>What an integer setting counts, when the option it feeds is a duration.</summary>
public enum SettingUnit
{
    None,
    Minutes,
    Days,
}

/// <summary>
/// A live setting: a system_configurations key the code reads through the options system, at
/// <see cref="ConfigurationPath"/>, within [<see cref="Min"/>, <see cref="Max"/>].
/// </summary>
public sealed record SettingDefinition(string Key, SettingType Type, string ConfigurationPath, decimal Min, decimal Max, SettingUnit Unit = SettingUnit.None)
{
    /// <summary>Why <paramref name="value"/> cannot be this setting's value, or null.</summary>
    public string? Check(string? value)
    {
        if (SettingRules.CheckType(Type, value) is { } typeError)
        {
            return typeError;
        }

        var number = decimal.Parse(value!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return number < Min || number > Max
            ? $"{Key} must be between {Min.ToString(CultureInfo.InvariantCulture)} and {Max.ToString(CultureInfo.InvariantCulture)}{UnitName()}."
            : null;
    }

    /// <summary>The value as the options binder reads it at <see cref="ConfigurationPath"/> (a checked value).</summary>
    public string ToConfigurationValue(string value)
    {
        var number = decimal.Parse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return Unit switch
        {
            SettingUnit.Minutes => TimeSpan.FromMinutes((double)number).ToString("c", CultureInfo.InvariantCulture),
            SettingUnit.Days => TimeSpan.FromDays((double)number).ToString("c", CultureInfo.InvariantCulture),
            _ => number.ToString(CultureInfo.InvariantCulture),
        };
    }

    private string UnitName() => Unit switch
    {
        SettingUnit.Minutes => " minutes",
        SettingUnit.Days => " days",
        _ => "",
    };
}

/// <summary>
/// The business settings the code reads from system_configurations, each with its type, range
/// and the option it sets. The code's option classes keep their defaults (a server that cannot read
/// the table still runs on them); migration 0090 wrote the same values into the table. Secrets are
/// never here: nothing maps a row to any other configuration path.
/// </summary>
public static class SettingCatalog
{
    public static readonly IReadOnlyList<SettingDefinition> All =
    [
        new("shipping.pac_price", SettingType.Decimal, "Shipping:Pac", 0m, 1000m),
        new("shipping.sedex_price", SettingType.Decimal, "Shipping:Sedex", 0m, 1000m),
        new("shipping.free_shipping_threshold", SettingType.Decimal, "Shipping:FreePacFrom", 0m, 100_000m),
        // The Código de Defesa do Consumidor's 7 days are the floor.
        new("returns.window_days", SettingType.Integer, "Orders:ReturnWindow", 7m, 365m, SettingUnit.Days),
        new("payments.pix_expiry_minutes", SettingType.Integer, "Payments:PixWindow", 5m, 1440m, SettingUnit.Minutes),
        new("payments.card_window_minutes", SettingType.Integer, "Payments:CardWindow", 5m, 1440m, SettingUnit.Minutes),
        new("payments.boleto_due_days", SettingType.Integer, "Payments:BoletoWindow", 1m, 30m, SettingUnit.Days),
        new("security.max_login_attempts", SettingType.Integer, "Accounts:Lockout:AccountThreshold", 1m, 1000m),
        new("security.ip_max_login_attempts", SettingType.Integer, "Accounts:Lockout:IpThreshold", 1m, 10_000m),
        new("security.lockout_minutes", SettingType.Integer, "Accounts:Lockout:BaseDuration", 1m, 1440m, SettingUnit.Minutes),
        new("security.lockout_max_minutes", SettingType.Integer, "Accounts:Lockout:MaxDuration", 1m, 10_080m, SettingUnit.Minutes),
        new("auth.password_reset_ttl_minutes", SettingType.Integer, "Accounts:PasswordResetLifetime", 5m, 1440m, SettingUnit.Minutes),
        new("checkout.max_quantity_per_item", SettingType.Integer, "StockHolds:MaxUnitsPerOrderLine", 1m, 999m),
        new("stock_holds.max_units_per_customer", SettingType.Integer, "StockHolds:MaxUnitsPerCustomer", 1m, 9999m),
        new("stock_holds.boleto_hold_minutes", SettingType.Integer, "StockHolds:BoletoStockHold", 1m, 10_080m, SettingUnit.Minutes),
        new("partitions.months_ahead", SettingType.Integer, "Maintenance:PartitionMonthsAhead", 1m, 24m),
        // Above the lockout's look-back (Accounts:Lockout:Window, at most 30 days).
        new("retention.login_attempts_days", SettingType.Integer, "Maintenance:LoginAttempts", 31m, 3650m, SettingUnit.Days),
        new("retention.expired_sessions_days", SettingType.Integer, "Maintenance:ExpiredSessions", 1m, 365m, SettingUnit.Days),
        new("retention.password_resets_days", SettingType.Integer, "Maintenance:ExpiredPasswordResets", 1m, 365m, SettingUnit.Days),
        new("retention.system_logs_months", SettingType.Integer, "Maintenance:SystemLogsMonths", 1m, 120m),
        new("retention.webhook_payloads_days", SettingType.Integer, "Maintenance:WebhookPayloads", 30m, 3650m, SettingUnit.Days),
    ];

    /// <summary>Pairs whose first value may not exceed the second (the options' own cross-field rules).</summary>
    public static readonly IReadOnlyList<(string Lower, string Upper)> AtMost =
    [
        ("checkout.max_quantity_per_item", "stock_holds.max_units_per_customer"),
        ("security.lockout_minutes", "security.lockout_max_minutes"),
    ];

    private static readonly Dictionary<string, SettingDefinition> ByKey = All.ToDictionary(d => d.Key, StringComparer.Ordinal);

    public static SettingDefinition? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>The keys a change of <paramref name="key"/> must be checked against (itself included).</summary>
    public static IReadOnlyList<string> Related(string key) =>
        [key, .. AtMost.Where(p => p.Lower == key).Select(p => p.Upper), .. AtMost.Where(p => p.Upper == key).Select(p => p.Lower)];
}

/// <summary>The rules a value must pass: its declared type, and for a live setting its range and cross-field rules.</summary>
public static partial class SettingRules
{
    /// <summary>Why <paramref name="value"/> is not a value of <paramref name="type"/> (the table's own CHECK, said first), or null.</summary>
    public static string? CheckType(SettingType type, string? value)
    {
        if (value is null)
        {
            return type == SettingType.String ? null : "A value is required.";
        }

        return type switch
        {
            SettingType.Integer when !IntegerPattern().IsMatch(value) => "Must be a whole number.",
            SettingType.Decimal when !DecimalPattern().IsMatch(value) => "Must be a number with a point for decimals (19.90).",
            SettingType.Boolean when value is not ("true" or "false") => "Must be true or false.",
            SettingType.Json when !IsJson(value) => "Must be valid JSON.",
            _ => null,
        };
    }

    /// <summary>
    /// Why <paramref name="value"/> cannot be the value of <paramref name="key"/> given the other
    /// current values (<paramref name="current"/>: key to value), or null.
    /// </summary>
    public static string? Check(string key, SettingType type, string? value, IReadOnlyDictionary<string, string?> current)
    {
        if (SettingCatalog.Find(key) is not { } definition)
        {
            return CheckType(type, value);
        }

        if (definition.Check(value) is { } error)
        {
            return error;
        }

        foreach (var (lower, upper) in SettingCatalog.AtMost.Where(p => p.Lower == key || p.Upper == key))
        {
            var lowerValue = lower == key ? value : current.GetValueOrDefault(lower);
            var upperValue = upper == key ? value : current.GetValueOrDefault(upper);
            if (Number(lowerValue) is { } l && Number(upperValue) is { } u && l > u)
            {
                return $"{lower} ({lowerValue}) may not exceed {upper} ({upperValue}).";
            }
        }

        return null;
    }

    /// <summary>
    /// What the options system reads from the table: each live setting whose value passes its rules,
    /// at its configuration path. A row that does not (written with SQL) is left out, so its option
    /// keeps the code's default; <paramref name="refused"/> gets its key and why.
    /// </summary>
    public static Dictionary<string, string?> ToConfiguration(IReadOnlyDictionary<string, string?> rows, Action<string, string> refused)
    {
        var accepted = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var definition in SettingCatalog.All)
        {
            if (!rows.TryGetValue(definition.Key, out var value))
            {
                continue;
            }

            if (definition.Check(value) is { } error)
            {
                refused(definition.Key, error);
                continue;
            }

            accepted[definition.Key] = value;
        }

        foreach (var (lower, upper) in SettingCatalog.AtMost)
        {
            if (Number(accepted.GetValueOrDefault(lower)) is { } l && Number(accepted.GetValueOrDefault(upper)) is { } u && l > u)
            {
                refused(lower, $"{lower} may not exceed {upper}");
                refused(upper, $"{upper} may not be below {lower}");
                accepted.Remove(lower);
                accepted.Remove(upper);
            }
        }

        return accepted.ToDictionary(
            pair => SettingCatalog.Find(pair.Key)!.ConfigurationPath,
            pair => (string?)SettingCatalog.Find(pair.Key)!.ToConfigurationValue(pair.Value!),
            StringComparer.OrdinalIgnoreCase);
    }

    private static decimal? Number(string? value) =>
        decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) ? number : null;

    // The spellings the table's CHECK accepts (0020), bounded so that a parse cannot overflow.
    [GeneratedRegex(@"^-?[0-9]{1,18}$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^-?[0-9]{1,18}(\.[0-9]{1,9})?$")]
    private static partial Regex DecimalPattern();

    private static bool IsJson(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
