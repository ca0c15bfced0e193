using System.Net;
using MestresCafe.Api.Security;
using MestresCafe.Data.Accounts;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Accounts;

/// <summary>login_attempts: the record of every attempt, and the lockout derived from it.</summary>
/// <remarks>
/// The lockout is computed from PostgreSQL rather than kept in Redis so that it holds on every
/// server, survives a Redis flush and cannot be reset by whoever can reach Redis.
/// </remarks>
public sealed class LoginAttempts(LoginStore logins, IOptionsMonitor<AccountOptions> options)
{
    public const string InvalidCredentials = "invalid_credentials";
    public const string UnknownUser = "unknown_user";
    public const string InactiveUser = "inactive_user";
    public const string LockedOut = "locked_out";
    public const string PasswordNotSet = "password_not_set";
    public const string RateLimited = "rate_limited";

    // Guesses count towards a lock; refusals (locked, rate limited) do not, or a flood would keep
    // the owner out indefinitely.
    private static readonly string[] CountedFailures = [InvalidCredentials, UnknownUser, PasswordNotSet];

    public Task RecordAsync(string email, ClientInfo client, string? failureReason, CancellationToken cancellationToken) =>
        logins.RecordAttemptAsync(Attempt(email, client, failureReason), cancellationToken);

    /// <summary>The row of an attempt; a null failure reason is a success.</summary>
    public static LoginAttempt Attempt(string email, ClientInfo client, string? failureReason) =>
        new(email, client.Ip, client.UserAgent, failureReason);

    /// <summary>Whether the e-mail or the IP is locked now, and for how long.</summary>
    public async Task<LockoutState> GetLockoutAsync(string email, IPAddress? ip, CancellationToken cancellationToken)
    {
        var lockout = options.CurrentValue.Lockout; // live settings (security.*): the figures in force now
        var criteria = new LockoutCriteria(CountedFailures, lockout.Window, lockout.AccountThreshold, lockout.IpThreshold);
        var reading = await logins.ReadLockoutAsync(email, ip, criteria, cancellationToken);
        return new LockoutState(
            Remaining(reading, "account", lockout), Remaining(reading, "ip", lockout));
    }

    private static TimeSpan Remaining(LockoutReading reading, string subject, LockoutOptions lockout)
    {
        var threshold = subject == "account" ? lockout.AccountThreshold : lockout.IpThreshold;
        foreach (var row in reading.Subjects.Where(r => r.Subject == subject))
        {
            var remaining = LockoutPolicy.RemainingLock(row.Failures, row.LockedAt, reading.Now, threshold, lockout.BaseDuration, lockout.MaxDuration);
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }

        return TimeSpan.Zero;
    }
}

/// <summary>Time left on each lock; zero when not locked.</summary>
public readonly record struct LockoutState(TimeSpan Account, TimeSpan Ip);
