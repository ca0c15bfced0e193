using MestresCafe.TaxIds;

namespace MestresCafe.Api.Infrastructure.Validation;

/// <summary>A CNPJ with valid check digits (<see cref="MestresCafe.TaxIds.Cnpj"/>).</summary>
public sealed class CnpjAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => value.Trim().Length == 0 ? null : Cnpj.Check(value);
}
