using MestresCafe.Api.Security;
using MestresCafe.Data.Accounts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Accounts;

public enum VerificationRequestOutcome
{
    Sent,
    AlreadyVerified,
    NotFound,
}

/// <summary>
/// E-mail confirmation by a single-use link (<see cref="AccountLinks"/>), sent at registration and
/// again on request. users keeps the SHA-256 of the one pending token. A verified e-mail is what
/// makes a first-order coupon usable: one mailbox, one first order.
/// </summary>
public sealed class EmailVerificationService(EmailVerificationStore store, ProfileCache profiles, AccountLinks links, IOptions<AccountOptions> options)
{
    public TimeSpan Lifetime { get; } = options.Value.EmailVerificationLifetime;

    /// <summary>The confirmation message for a new token.</summary>
    public SecurityMessage Message(IssuedLink link) =>
        new("email_verification", "Confirme o seu e-mail",
            "Boas-vindas à Mestres Café! Abra o link desta mensagem em até " +
            $"{(int)Lifetime.TotalHours} horas para confirmar o seu e-mail. " +
            "Com o e-mail confirmado, o cupom de primeira compra fica disponível.\n" +
            "Se não foi você quem criou a conta, ignore esta mensagem.",
            link.SealedLink);

    /// <summary>A new link for a signed-in user whose e-mail is not verified yet; it replaces the pending one.</summary>
    public async Task<VerificationRequestOutcome> SendAgainAsync(long userId, HttpContext http, CancellationToken cancellationToken)
    {
        var link = links.Issue(AccountLinks.EmailVerificationPath);
        return await store.RenewAsync(userId, link.TokenHash, Lifetime, Message(link), AuditActors.From(http), cancellationToken) switch
        {
            VerificationRenewal.Renewed => VerificationRequestOutcome.Sent,
            VerificationRenewal.AlreadyVerified => VerificationRequestOutcome.AlreadyVerified,
            _ => VerificationRequestOutcome.NotFound,
        };
    }

    /// <summary>Marks the e-mail verified and spends the token. False when the token is unknown, spent or expired.</summary>
    public async Task<bool> ConfirmAsync(string token, HttpContext http, CancellationToken cancellationToken)
    {
        if (await store.ConfirmAsync(SessionTokens.Hash(token), AuditActors.From(http), cancellationToken) is not { } userId)
        {
            return false;
        }

        await profiles.DropAsync(userId); // emailVerified changed
        return true;
    }
}
