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

    /// <summary>E-mails are stored trimmed and lower-cased (the users table checks it), so the unique key is case-insensitive.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    public static void Email(string? email, ValidationErrors errors, string field = "email")
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            errors.Add(field, "The e-mail is required.");
            return;
        }

        var normalized = NormalizeEmail(email);
        if (normalized.Length > MaxEmailLength)
        {
            errors.Add(field, $"The e-mail has at most {MaxEmailLength} characters.");
        }
        else if (!MailAddress.TryCreate(normalized, out var address) || address.Address != normalized || !address.Host.Contains('.'))
        {
            errors.Add(field, "The e-mail is not a valid address.");
        }
    }

    /// <summary>
    /// Length over composition rules (current NIST guidance): 10 to 128 characters, with at least
    /// one letter and one character that is not a letter, and not the e-mail itself.
    /// </summary>
    public static void NewPassword(string? password, string? email, ValidationErrors errors, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, "The password is required.");
            return;
        }

        if (password.Length < MinPasswordLength || password.Length > MaxPasswordLength)
        {
            errors.Add(field, $"The password has {MinPasswordLength} to {MaxPasswordLength} characters.");
        }

        if (!password.Any(char.IsLetter) || password.All(char.IsLetter))
        {
            errors.Add(field, "The password mixes letters with digits or symbols.");
        }

        if (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(field, "The password must not be the e-mail.");
        }
    }

    public static void Name(string? name, bool required, ValidationErrors errors, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            if (required)
            {
                errors.Add(field, "The name is required.");
            }

            return;
        }

        if (name.Trim().Length > MaxNameLength)
        {
            errors.Add(field, $"At most {MaxNameLength} characters.");
        }
        else if (name.Any(char.IsControl))
        {
            errors.Add(field, "Control characters are not allowed.");
        }
    }

    /// <summary>Digits with an optional leading +; spaces, dashes, dots and parentheses are dropped.</summary>
    public static string NormalizePhone(string phone) =>
        new(phone.Where(c => c is not (' ' or '-' or '.' or '(' or ')')).ToArray());

    public static void Phone(string? phone, ValidationErrors errors, string field = "phone")
    {
        if (!string.IsNullOrEmpty(phone) && (phone.Length > 40 || !PhonePattern().IsMatch(NormalizePhone(phone))))
        {
            errors.Add(field, "A phone number has 8 to 15 digits, optionally after a +.");
        }
    }

    public static void AvatarUrl(string? url, ValidationErrors errors, string field = "avatarUrl")
    {
        if (string.IsNullOrEmpty(url))
        {
            return;
        }

        if (url.Length > MaxAvatarUrlLength)
        {
            errors.Add(field, $"At most {MaxAvatarUrlLength} characters.");
        }
        else if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            errors.Add(field, "An absolute http(s) URL.");
        }
    }

    public static void Bio(string? bio, ValidationErrors errors, string field = "bio")
    {
        if (bio is { Length: > MaxBioLength })
        {
            errors.Add(field, $"At most {MaxBioLength} characters.");
        }
    }

    public static void Preferences(JsonElement? preferences, ValidationErrors errors, string field = "preferences")
    {
        if (preferences is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "Preferences are a JSON object.");
        }
        else if (value.GetRawText().Length > MaxPreferencesBytes)
        {
            errors.Add(field, $"Preferences take at most {MaxPreferencesBytes} characters of JSON.");
        }
    }

    public static void Language(string? language, ValidationErrors errors, string field = "language")
    {
        if (language is not null && !LanguagePattern().IsMatch(language))
        {
            errors.Add(field, "A language tag such as pt-BR or en.");
        }
    }

    public static void TimeZone(string? timeZone, ValidationErrors errors, string field = "timezone")
    {
        if (timeZone is not null && (timeZone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _)))
        {
            errors.Add(field, "An IANA time zone such as America/Sao_Paulo.");
        }
    }

    [GeneratedRegex(@"^\+?[0-9]{8,15}\z")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[a-z]{2,3}(-[A-Z]{2})?\z")]
    private static partial Regex LanguagePattern();
}
