using System.Text.RegularExpressions;
using MestresCafe.TaxIds;

namespace MestresCafe.Api.Infrastructure.Validation;

/// <summary>A CNPJ with valid check digits (<see cref="MestresCafe.TaxIds.Cnpj"/>).</summary>
public sealed class CnpjAttribute : RuleAttribute<string>
{
    /// <summary>14 characters (the first 12 may be letters), with or without its punctuation; the document's pattern.</summary>
    public const string Pattern = @"^[0-9A-Za-z]{2}\.?[0-9A-Za-z]{3}\.?[0-9A-Za-z]{3}/?[0-9A-Za-z]{4}-?[0-9]{2}$";

    protected override string? Check(string value) => value.Trim().Length == 0 ? null : Cnpj.Check(value);
}

/// <summary>
/// A customer's tax id: a CPF or a CNPJ, each written with or without its punctuation and with
/// valid check digits (<see cref="Cpf"/>, <see cref="Cnpj"/>). Which of the two a customer type
/// needs is the profile's rule; this one refuses what is neither, and the document shows its pattern.
/// </summary>
public sealed partial class CpfOrCnpjAttribute : RuleAttribute<string>
{
    /// <summary>11 digits, punctuated <c>000.000.000-00</c> or not.</summary>
    public const string CpfPattern = @"^[0-9]{3}\.?[0-9]{3}\.?[0-9]{3}-?[0-9]{2}$";

    /// <summary>The longest accepted form: a punctuated CNPJ.</summary>
    public const int MaxLength = 18;

    /// <summary>The document's pattern: a CPF or a CNPJ.</summary>
    public static readonly string Pattern = $"({CpfPattern})|({CnpjAttribute.Pattern})";

    protected override string? Check(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (CpfForm().IsMatch(trimmed))
        {
            return Cpf.Check(trimmed);
        }

        return CnpjForm().IsMatch(trimmed) ? Cnpj.Check(trimmed) : "A CPF (000.000.000-00) or a CNPJ (00.000.000/0000-00), with or without punctuation.";
    }

    [GeneratedRegex(CpfPattern)]
    private static partial Regex CpfForm();

    [GeneratedRegex(CnpjAttribute.Pattern)]
    private static partial Regex CnpjForm();
}
