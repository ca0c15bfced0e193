using System.Text.Json;
using MestresCafe.Api.Security;
using MestresCafe.Data.Accounts;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Accounts;

/// <summary>Sign-up and the signed-in user's own profile.</summary>
public sealed class AccountService(
    RegistrationStore registrations, UserProfileStore profiles, ProfileCache cache, AccountLinks links, EmailVerificationService verification)
{
    private static readonly SecurityMessage RegistrationAttempt = new("registration_attempt", "Tentativa de cadastro com o seu e-mail",
        "Alguém tentou criar uma conta na Mestres Café com este e-mail, que já tem uma conta. " +
        "Se foi você, entre com a sua senha ou peça a redefinição dela. Se não foi, ignore esta mensagem: nada mudou na sua conta.",
        SealedLink: null);

    /// <summary>
    /// Creates the user, their CRM customer row and the default role ('customer'), and sends the
    /// e-mail confirmation link. When the e-mail is taken, the account's owner is told instead
    /// (someone tried to register with it). Both cases do the same work (a password hash, a token,
    /// one transaction with a notification and an audit row) and the caller answers the same, so
    /// registration does not tell whether an e-mail has an account. Nobody is signed in: the new
    /// user signs in with the password they chose.
    /// </summary>
    public Task RegisterAsync(RegisterRequest request, HttpContext http, CancellationToken cancellationToken)
    {
        var link = links.Issue(AccountLinks.EmailVerificationPath);
        var account = new NewAccount(
            AccountRules.NormalizeEmail(request.Email!),
            PasswordHasher.Hash(request.Password!),
            request.FirstName!.Trim(),
            request.LastName?.Trim() ?? "",
            string.IsNullOrEmpty(request.Phone) ? null : AccountRules.NormalizePhone(request.Phone),
            link.TokenHash,
            verification.Lifetime);
        return registrations.RegisterAsync(account, verification.Message(link), RegistrationAttempt, AuditActors.From(http), cancellationToken);
    }

    /// <summary>This server's memory of the profile (<see cref="ProfileCache"/>), PostgreSQL otherwise.</summary>
    public async Task<UserProfile?> GetProfileAsync(long userId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(userId) is { } remembered)
        {
            return remembered;
        }

        var epoch = cache.Epoch;
        if (await profiles.GetAsync(userId, cancellationToken) is not { } row)
        {
            return null;
        }

        var profile = ToProfile(row);
        cache.TryAdd(profile, row.ClaimsValidUntil, epoch);
        return profile;
    }

    /// <summary>Applies the fields present in the update; audit_logs gets the old and new values. Every server sees the new profile once this returns.</summary>
    public async Task<UserProfile?> UpdateProfileAsync(long userId, ProfileUpdate update, HttpContext http, CancellationToken cancellationToken)
    {
        if (await profiles.UpdateAsync(userId, old => Apply(update, old.Fields), AuditActors.From(http), cancellationToken) is not { } row)
        {
            return null;
        }

        await cache.DropAsync(userId);
        return ToProfile(row);
    }

    private static ProfileFields Apply(ProfileUpdate update, ProfileFields old) => new(
        FirstName: update.FirstName?.Trim() ?? old.FirstName,
        LastName: update.LastName?.Trim() ?? old.LastName,
        Phone: update.Phone is null ? old.Phone : update.Phone.Length == 0 ? null : AccountRules.NormalizePhone(update.Phone),
        AvatarUrl: update.AvatarUrl is null ? old.AvatarUrl : update.AvatarUrl.Length == 0 ? null : update.AvatarUrl,
        Bio: update.Bio is null ? old.Bio : update.Bio.Length == 0 ? null : update.Bio,
        Preferences: update.Preferences is { ValueKind: JsonValueKind.Object } preferences ? preferences.GetRawText() : old.Preferences,
        Language: update.Language ?? old.Language,
        Timezone: update.Timezone ?? old.Timezone);

    private static UserProfile ToProfile(UserProfileRow row) => new(
        row.Id, row.Email, row.Username, row.FirstName, row.LastName, row.Phone, row.AvatarUrl, row.Bio,
        JsonSerializer.Deserialize<JsonElement>(row.Preferences), row.Language, row.Timezone, row.CreatedAt, row.LastLogin,
        row.CustomerId, row.CustomerNumber, row.Roles, row.Permissions, row.EmailVerified);
}
