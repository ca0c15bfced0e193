namespace MestresCafe.Api.Infrastructure.Validation;

/// <summary>At most <c>maximum</c> characters once trimmed, which is what is stored.</summary>
public sealed class TrimmedLengthAttribute(int maximum) : RuleAttribute<string>
{
    public int Maximum => maximum;

    protected override string? Check(string value) => value.Trim().Length > maximum ? $"At most {maximum} characters." : null;
}
