using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Infrastructure.Validation;

/// <summary>
/// One of a fixed list of codes, compared exactly; null is not one of them. Unlike [AllowedValues]
/// the message lists the choices, so the list is written once; a list kept elsewhere (a database
/// CHECK's list in Abstractions) is passed by a small subclass. <see cref="Optional"/> lets an
/// absent field pass (a back-office PATCH leaves it unchanged).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public class OneOfAttribute : ValidationAttribute
{
    private readonly IReadOnlyList<string> _values;

    public OneOfAttribute(params string[] values) : this(values, "Must be one of")
    {
    }

    protected OneOfAttribute(IReadOnlyList<string> values, string lead) : base(() => $"{lead}: {string.Join(", ", values)}.") => _values = values;

    public IReadOnlyList<string> Values => _values;

    public bool Optional { get; set; }

    public override bool IsValid(object? value) => value is null ? Optional : value is string text && _values.Contains(text, StringComparer.Ordinal);
}

/// <summary>Any number but zero.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class NonZeroAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not (0 or 0L or 0m);
}

/// <summary>A positive amount in whole cents (at most two decimals), as numeric(12,2) stores it.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PositiveCentsAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => value is not decimal amount || amount > 0 && decimal.Round(amount, 2) == amount;
}
