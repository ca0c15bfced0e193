using MestresCafe.TaxIds;

namespace MestresCafe.Customers;

/// <summary>A customer is a person (individual) or a company (business), as the database's CHECK spells them.</summary>
public static class CustomerTypes
{
    public const string Individual = "individual";
    public const string Business = "business";

    public static readonly IReadOnlyList<string> All = [Individual, Business];
}

/// <summary>
/// What makes a customer's profile whole: a person's tax id, when given, is a CPF; a company has
/// its name and a CNPJ, and a state registration (digits, or ISENTO when exempt) when it has one.
/// A person carries no company fields. Plain rules, shared by every writer of customers.
/// </summary>
public static class CustomerProfileRules
{
    public const string Exempt = "ISENTO";

    /// <summary>The problems of a profile, keyed by field (camelCase); empty when it is whole.</summary>
    public static IReadOnlyList<(string Field, string Message)> Check(string customerType, string? taxId, string? companyName, string? stateRegistration)
    {
        var problems = new List<(string, string)>();
        var business = customerType == CustomerTypes.Business;
        if (!string.IsNullOrWhiteSpace(taxId) && TaxId.Check(taxId, business ? TaxIdKind.Cnpj : TaxIdKind.Cpf) is { } taxProblem)
        {
            problems.Add(("taxId", taxProblem));
        }

        if (business)
        {
            if (string.IsNullOrWhiteSpace(taxId))
            {
                problems.Add(("taxId", "A company needs its CNPJ."));
            }

            if (string.IsNullOrWhiteSpace(companyName))
            {
                problems.Add(("companyName", "A company needs its name."));
            }

            if (!string.IsNullOrWhiteSpace(stateRegistration) && NormalizeStateRegistration(stateRegistration) is null)
            {
                problems.Add(("stateRegistration", "2 to 14 digits, or ISENTO when exempt."));
            }
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(companyName))
            {
                problems.Add(("companyName", "Only for a company (customerType business)."));
            }

            if (!string.IsNullOrWhiteSpace(stateRegistration))
            {
                problems.Add(("stateRegistration", "Only for a company (customerType business)."));
            }
        }

        return problems;
    }

    /// <summary>The tax id as stored (no punctuation), or null when none was given.</summary>
    public static string? NormalizeTaxId(string customerType, string? taxId) =>
        string.IsNullOrWhiteSpace(taxId) ? null : TaxId.Normalize(taxId, customerType == CustomerTypes.Business ? TaxIdKind.Cnpj : TaxIdKind.Cpf);

    /// <summary>Digits only, or ISENTO; null when it is neither.</summary>
    public static string? NormalizeStateRegistration(string stateRegistration)
    {
        var trimmed = stateRegistration.Trim();
        if (string.Equals(trimmed, Exempt, StringComparison.OrdinalIgnoreCase))
        {
            return Exempt;
        }

        var digits = new string(trimmed.Where(c => c is not ('.' or '-' or '/' or ' ')).ToArray());
        return digits.Length is >= 2 and <= 14 && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}
