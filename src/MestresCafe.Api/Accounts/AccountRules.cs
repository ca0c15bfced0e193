using System.Net.Mail;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// What a valid e-mail, password and profile look like. Plain functions so the rules are tested
/// without a server; limits match the columns of users so nothing reaches the database to fail there.
/// </summary>
public static partial class AccountRules
{
    public const int MaxEmailLength = 254;
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;
    public const int MaxNameLength = 100;
    public const int MaxAvatarUrlLength = 500;
    public const int MaxBioLength = 2000;
    public const int MaxPreferencesBytes = 4096;
    public const int MaxPhoneLength = 40;
    public const int MaxTimeZoneLength = 64;

    /// <summary>E-mails are stored trimmed and lower-cased (the users table checks it), so the unique key is case-insensitive.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    // Each rule names the first problem of a present value, or returns null; the attributes in
    // AccountValidation put them on the request types, [Required] says which fields must be there.

    public static string? Email(string email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "The e-mail is required.";
        }

        var normalized = NormalizeEmail(email);
        if (normalized.Length > MaxEmailLength)
        {
            return $"The e-mail has at most {MaxEmailLength} characters.";
        }

        return !MailAddress.TryCreate(normalized, out var address) || address.Address != normalized || !address.Host.Contains('.')
            ? "The e-mail is not a valid address."
            : null;
    }

    /// <summary>
    /// Length over composition rules (current NIST guidance): 10 to 128 characters, with at least
    /// one letter and one character that is not a letter. Not the e-mail itself: <see cref="PasswordIsEmail"/>.
    /// </summary>
    public static string? NewPassword(string password)
    {
        if (password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
        {
            return $"The password has {MinPasswordLength} to {MaxPasswordLength} characters.";
        }

        return !password.Any(char.IsLetter) || password.All(char.IsLetter) ? "The password mixes letters with digits or symbols." : null;
    }

    public static bool PasswordIsEmail(string? password, string? email) =>
        password is not null && email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>A blank name passes here: [Required] or [NotBlank] decide whether it may be blank.</summary>
    public static string? Name(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        if (name.Trim().Length > MaxNameLength)
        {
            return $"At most {MaxNameLength} characters.";
        }

        return name.Any(char.IsControl) ? "Control characters are not allowed." : null;
    }

    /// <summary>Digits with an optional leading +; spaces, dashes, dots and parentheses are dropped.</summary>
    public static string NormalizePhone(string phone) =>
        new(phone.Where(c => c is not (' ' or '-' or '.' or '(' or ')')).ToArray());

    public static string? Phone(string phone) =>
        phone.Length > 0 && (phone.Length > MaxPhoneLength || !PhonePattern().IsMatch(NormalizePhone(phone)))
            ? "A phone number has 8 to 15 digits, optionally after a +."
            : null;

    public static string? AvatarUrl(string url)
    {
        if (url.Length == 0)
        {
            return null;
        }

        if (url.Length > MaxAvatarUrlLength)
        {
            return $"At most {MaxAvatarUrlLength} characters.";
        }

        return !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") ? "An absolute http(s) URL." : null;
    }

    public static string? Preferences(JsonElement preferences)
    {
        if (preferences.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (preferences.ValueKind != JsonValueKind.Object)
        {
            return "Preferences are a JSON object.";
        }

        return preferences.GetRawText().Length > MaxPreferencesBytes ? $"Preferences take at most {MaxPreferencesBytes} characters of JSON." : null;
    }

    public static string? Language(string language) => LanguagePattern().IsMatch(language) ? null : "A language tag such as pt-BR or en.";

    public static string? TimeZone(string timeZone) =>
        timeZone.Length > MaxTimeZoneLength || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _) ? "An IANA time zone such as America/Sao_Paulo." : null;

    [GeneratedRegex(@"^\+?[0-9]{8,15}\z")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Z]{2})?\z")]
    internal static partial Regex LanguagePattern();
}
