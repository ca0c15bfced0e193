namespace MestresCafe.TaxIds;

/// <summary>
/// The CPF (Brazilian individual taxpayer number): 9 digits and 2 check digits, written with or
/// without its punctuation (<c>529.982.247-25</c>). Each check digit weighs the digits before it
/// from 10 (or 11) down to 2 and takes the sum modulo 11; a remainder under 2 gives 0. Eleven equal
/// digits pass that sum but are no CPF.
/// </summary>
public static class Cpf
{
    /// <summary>The 11 digits without punctuation.</summary>
    public static string Normalize(string cpf) => new(cpf.Trim().Where(c => c is not ('.' or '-' or ' ')).ToArray());

    /// <summary>Null when <paramref name="cpf"/> is a valid CPF, else why not.</summary>
    public static string? Check(string cpf)
    {
        var value = Normalize(cpf);
        if (value.Length != 11 || !value.All(char.IsAsciiDigit))
        {
            return "A CPF has 11 digits: 9 digits and 2 check digits.";
        }

        if (value.All(c => c == value[0]))
        {
            return "Not a CPF.";
        }

        return CheckDigit(value[..9]) == value[9] - '0' && CheckDigit(value[..10]) == value[10] - '0'
            ? null
            : "The check digits do not match.";
    }

    /// <summary>The check digit that follows <paramref name="digits"/> (9 or 10 of them).</summary>
    public static int CheckDigit(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += (digits[i] - '0') * (digits.Length + 1 - i);
        }

        var remainder = sum % 11;
        return remainder < 2 ? 0 : 11 - remainder;
    }
}
