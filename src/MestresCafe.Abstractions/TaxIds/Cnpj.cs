namespace MestresCafe.TaxIds;

/// <summary>
/// The CNPJ (Brazilian company registry number): 12 characters and 2 check digits, written with or
/// without its punctuation (<c>11.222.333/0001-81</c>). Since July 2026 the first 12 may be
/// upper-case letters too (the alphanumeric CNPJ); the check digits are computed the same way, each
/// character counting as its code minus 48 (so digits count as themselves and A as 17), weighted
/// 2 to 9 from the right and taken modulo 11.
/// </summary>
public static class Cnpj
{
    /// <summary>The 14 characters without punctuation, upper-cased.</summary>
    public static string Normalize(string cnpj) =>
        new(cnpj.Trim().ToUpperInvariant().Where(c => c is not ('.' or '/' or '-' or ' ')).ToArray());

    /// <summary>Null when <paramref name="cnpj"/> is a valid CNPJ, else why not.</summary>
    public static string? Check(string cnpj)
    {
        var value = Normalize(cnpj);
        if (value.Length != 14 || !value[..12].All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)) || !value[12..].All(char.IsAsciiDigit))
        {
            return "A CNPJ has 14 characters: 12 digits or letters and 2 check digits.";
        }

        if (value.All(c => c == value[0]))
        {
            return "Not a CNPJ.";
        }

        return CheckDigit(value[..12]) == value[12] - '0' && CheckDigit(value[..13]) == value[13] - '0'
            ? null
            : "The check digits do not match.";
    }

    /// <summary>The check digit that follows <paramref name="characters"/> (12 or 13 of them).</summary>
    public static int CheckDigit(string characters)
    {
        var sum = 0;
        for (var i = 0; i < characters.Length; i++)
        {
            // Weights 2..9 from the rightmost character, repeating.
            var weight = 2 + (characters.Length - 1 - i) % 8;
            sum += (characters[i] - '0') * weight;
        }

        var remainder = sum % 11;
        return remainder < 2 ? 0 : 11 - remainder;
    }
}
