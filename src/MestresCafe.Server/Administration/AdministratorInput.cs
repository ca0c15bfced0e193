using System.Security.Cryptography;
using MestresCafe.Api.Accounts;
using MestresCafe.Data.Accounts;

namespace MestresCafe.Server.Administration;

/// <summary>
/// The administrator an operator names (command line or deployment settings), checked with the
/// same account rules as a sign-up, so nothing reaches the database to fail there. Problems name
/// the option or setting they came from.
/// </summary>
public static class AdministratorInput
{
    /// <summary>The identity, or the first problem with it. A name is "First Last" (the rest after the first space).</summary>
    public static (AdministratorIdentity? Identity, string? Error) Identity(string? email, string emailLabel, string? name, string nameLabel)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return (null, $"{emailLabel} is required");
        }

        if (AccountRules.Email(email) is { } emailError)
        {
            return (null, $"{emailLabel}: {emailError}");
        }

        var parts = (name ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = parts.Length > 0 ? parts[0] : "";
        var last = parts.Length > 1 ? parts[1] : "";
        if ((AccountRules.Name(first) ?? AccountRules.Name(last)) is { } nameError)
        {
            return (null, $"{nameLabel}: {nameError}");
        }

        return (new AdministratorIdentity(AccountRules.NormalizeEmail(email), first, last), null);
    }

    /// <summary>The first problem with a chosen password, or null.</summary>
    public static string? Password(string password, string email, string label) =>
        (AccountRules.NewPassword(password) ?? (AccountRules.PasswordIsEmail(password, email) ? "The password must not be the e-mail." : null)) is { } error
            ? $"{label}: {error}"
            : null;

    /// <summary>A password that passes the account rules, for an operator who chose none (shown once).</summary>
    public static string GeneratePassword() =>
        "Cafe-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y');
}
