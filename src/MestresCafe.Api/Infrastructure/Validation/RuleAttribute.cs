using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Infrastructure.Validation;

/// <summary>
/// A data annotation over a plain rule function that names the problem (or returns null), so the
/// rule stays unit-testable and the request type still declares it. A null value passes: pair it
/// with [Required] where the field must be present.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public abstract class RuleAttribute<T> : ValidationAttribute
{
    protected abstract string? Check(T value);

    protected sealed override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is T typed && Check(typed) is { } problem ? new ValidationResult(problem) : ValidationResult.Success;
}
