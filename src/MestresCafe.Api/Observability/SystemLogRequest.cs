using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Data.Observability;

namespace MestresCafe.Api.Observability;

/// <summary>
/// The back office's search of system_logs, checked before the handler runs. A class with init
/// properties for [AsParameters] (see ReportRequest for why not a positional record).
/// </summary>
public sealed class SystemLogRequest : IValidatableObject
{
    /// <summary>The least severe level to include (warning by default: warning, error and critical).</summary>
    [SystemLogLevel(Optional = true)]
    public string? Level { get; init; }

    /// <summary>Words the message contains (case-insensitive, literal).</summary>
    [StringLength(200, MinimumLength = 2)]
    public string? Text { get; init; }

    /// <summary>The logger's category (the class that logged), exactly.</summary>
    [StringLength(100)]
    public string? Category { get; init; }

    /// <summary>A W3C trace id, as problem details and log lines carry it.</summary>
    [RegularExpression("^[0-9a-f]{32}$", ErrorMessage = "A trace id is 32 lowercase hexadecimal digits.")]
    public string? TraceId { get; init; }

    /// <summary>From this instant (default: 24 hours before <see cref="To"/>).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Up to this instant, excluded (default: now).</summary>
    public DateTimeOffset? To { get; init; }

    [Range(1, 10_000)]
    public int? Page { get; init; }

    [Range(1, 200)]
    public int? PageSize { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (From is { } from && To is { } to && from >= to)
        {
            yield return new ValidationResult("Must be before to.", [nameof(From)]);
        }
    }

    public SystemLogSearch ToSearch(DateTimeOffset now)
    {
        var to = To ?? now;
        var minimum = SystemLogStore.Levels.ToList().IndexOf(Level ?? "warning");
        return new SystemLogSearch(SystemLogStore.Levels.Skip(minimum).ToList(), Text, Category, TraceId,
            From ?? to.AddDays(-1), to, Page ?? 1, PageSize ?? 50);
    }
}

/// <summary>A level as system_logs spells it (the table's CHECK list, kept once in <see cref="SystemLogStore.Levels"/>).</summary>
public sealed class SystemLogLevelAttribute() : OneOfAttribute(SystemLogStore.Levels, "Must be one of");
