using System.Globalization;
using MestresCafe.Api.Security;
using MestresCafe.Data.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Password reset by a single-use, expiring token sent as a link (<see cref="AccountLinks"/>):
/// password_resets keeps only its SHA-256, the 'security' notification keeps the link sealed.
/// </summary>
public sealed class PasswordResetService(
    PasswordResetStore resets, AccountLinks links, SessionCache sessionCache, ProfileCache profiles, IOptionsMonitor<AccountOptions> options)
{
    // A live setting (auth.password_reset_ttl_minutes): read at each request.
    private TimeSpan Lifetime => options.CurrentValue.PasswordResetLifetime;

    /// <summary>
    /// Issues a token when an active account has this e-mail. An unknown e-mail costs the same
    /// work (the token, the sealing, the same statements in one round trip, an audit row), so
    /// neither the answer nor its time tells whether the account exists.
    /// </summary>
    public async Task RequestAsync(string email, HttpContext http, CancellationToken cancellationToken)
    {
        var link = links.Issue(AccountLinks.PasswordResetPath);
        var minutes = ((int)Lifetime.TotalMinutes).ToString(CultureInfo.InvariantCulture);
        var message = new SecurityMessage("password_reset", "Redefinição de senha",
            "Recebemos um pedido para redefinir a senha da sua conta Mestres Café. " +
            $"Abra o link desta mensagem em até {minutes} minutos para escolher uma nova senha.\n" +
            "Se não foi você, ignore esta mensagem: a sua senha continua a mesma.",
            link.SealedLink);

        await resets.IssueAsync(email, link.TokenHash, Lifetime, message, AuditActors.From(http), cancellationToken);
    }

    /// <summary>
    /// Sets the new password if the token is unused and unexpired, spends it, and ends every
    /// session of the user. The reset proves the user holds the mailbox: the e-mail counts as
    /// verified and failed sign-ins before it no longer lock the account. False when the token is
    /// unknown, used or expired.
    /// </summary>
    public async Task<bool> ConfirmAsync(string token, string newPassword, HttpContext http, CancellationToken cancellationToken)
    {
        var tokenHash = SessionTokens.Hash(token);
        // Checked before hashing so that invalid tokens cost no password hash.
        if (!await resets.IsUsableAsync(tokenHash, cancellationToken))
        {
            return false;
        }

        if (await resets.ResetAsync(tokenHash, PasswordHasher.Hash(newPassword), AuditActors.From(http), cancellationToken) is not { } reset)
        {
            return false;
        }

        await sessionCache.MarkRevokedAsync(reset.RevokedTokenHashes);
        await profiles.DropAsync(reset.UserId); // the e-mail counts as verified now
        return true;
    }
}
