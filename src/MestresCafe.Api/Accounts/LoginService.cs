using MestresCafe.Api.RateLimiting;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using MestresCafe.Data.Accounts;

namespace MestresCafe.Api.Accounts;

public enum LoginStatus
{
    Success,
    InvalidCredentials,
    Disabled,
    AccountLocked,
    IpLocked,
    RateLimited,
}

public sealed record LoginOutcome(LoginStatus Status, IssuedSession? Session = null, TimeSpan RetryAfter = default);

/// <summary>
/// Password login: rate limit, lockout, verification, session. Every attempt, refused or not,
/// leaves a login_attempts row.
/// </summary>
public sealed class LoginService(LoginStore logins, LoginAttempts attempts, SessionStore sessions, ProfileCache profiles, RateLimitGate rateLimits)
{
    // Verified when the e-mail is unknown so that the answer takes as long as for a real account.
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    public async Task<LoginOutcome> LoginAsync(string email, string password, HttpContext http, CancellationToken cancellationToken)
    {
        var client = ClientInfo.From(http);
        var limit = await rateLimits.CheckAccountAsync(RateLimitPolicies.Login, http, email);
        if (!limit.Allowed)
        {
            await attempts.RecordAsync(email, client, LoginAttempts.RateLimited, cancellationToken);
            return new(LoginStatus.RateLimited, RetryAfter: limit.RetryAfter);
        }

        var lockout = await attempts.GetLockoutAsync(email, client.Ip, cancellationToken);
        if (lockout.Account > TimeSpan.Zero || lockout.Ip > TimeSpan.Zero)
        {
            // The password is not even checked: a locked account tells a guesser nothing.
            await attempts.RecordAsync(email, client, LoginAttempts.LockedOut, cancellationToken);
            return lockout.Account > TimeSpan.Zero
                ? new(LoginStatus.AccountLocked, RetryAfter: lockout.Account)
                : new(LoginStatus.IpLocked, RetryAfter: lockout.Ip);
        }

        var user = await logins.FindAsync(email, cancellationToken);
        var verified = PasswordHasher.Verify(password, user?.PasswordHash ?? DummyHash.Value);
        var failure = user switch
        {
            null => LoginAttempts.UnknownUser,
            { PasswordHash: null } => LoginAttempts.PasswordNotSet,
            _ when !verified => LoginAttempts.InvalidCredentials,
            // Said only to someone who knows the password.
            { IsActive: false } => LoginAttempts.InactiveUser,
            _ => null,
        };
        if (failure is not null)
        {
            await attempts.RecordAsync(email, client, failure, cancellationToken);
            return new(failure == LoginAttempts.InactiveUser ? LoginStatus.Disabled : LoginStatus.InvalidCredentials);
        }

        var rehash = PasswordHasher.NeedsRehash(user!.PasswordHash!) ? PasswordHasher.Hash(password) : null;
        var pending = sessions.Prepare(client);
        var created = await logins.SignInAsync(LoginAttempts.Attempt(email, client, null), user.Id, rehash, pending.Row, cancellationToken);
        var session = pending.Issued(user.Id, created);
        await profiles.DropAsync(user.Id); // last_login changed
        await sessions.WarmAsync(session, cancellationToken);
        return new(LoginStatus.Success, session);
    }
}
