using System.Net;
using Dapper;
using Npgsql;

namespace MestresCafe.Data.Accounts;

/// <summary>What a password login needs to know about the account with an e-mail.</summary>
public sealed record LoginAccount
{
    public long Id { get; init; }
    public string? PasswordHash { get; init; }
    public bool IsActive { get; init; }
}

/// <summary>An attempt as login_attempts records it; a null failure reason is a success.</summary>
public sealed record LoginAttempt(string Email, IPAddress? Ip, string? UserAgent, string? FailureReason);

/// <summary>
/// Counted failures of one subject (<c>account</c> or <c>ip</c>) in the lockout window, and when the
/// failure that reached the last multiple of its threshold happened.
/// </summary>
public sealed record LockoutFailures
{
    public string Subject { get; init; } = "";
    public long Failures { get; init; }
    public DateTimeOffset LockedAt { get; init; }
}

/// <summary>The failures that can lock an e-mail or an IP, and the database's clock.</summary>
public sealed record LockoutReading(IReadOnlyList<LockoutFailures> Subjects, DateTimeOffset Now);

/// <summary>Which failures count towards a lock, over which window, and how many make one.</summary>
public sealed record LockoutCriteria(string[] CountedFailures, TimeSpan Window, int AccountThreshold, int IpThreshold);

/// <summary>Password login: the account by e-mail, login_attempts (the record of every attempt), and the successful sign-in.</summary>
public sealed class LoginStore(NpgsqlDataSource dataSource)
{
    private const string InsertAttempt =
        """
        insert into login_attempts (email, ip_address, success, failure_reason, user_agent)
        values (@Email, @Ip, @FailureReason is null, @FailureReason, @UserAgent)
        """;

    public async Task<LoginAccount?> FindAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<LoginAccount>(new CommandDefinition(
            "select id, password_hash, is_active from users where email = @email", new { email }, cancellationToken: cancellationToken));
    }

    public async Task RecordAttemptAsync(LoginAttempt attempt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertAttempt, attempt, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// A successful sign-in, in one transaction: its attempt row, last_login (and the password's new
    /// hash when it was rehashed) and the new session.
    /// </summary>
    public async Task<CreatedSession> SignInAsync(
        LoginAttempt attempt, long userId, string? rehash, NewSession session, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(InsertAttempt, attempt, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "update users set last_login = now(), password_hash = coalesce(@rehash, password_hash) where id = @userId",
            new { userId, rehash }, transaction, cancellationToken: cancellationToken));
        var created = await UserSessionStore.CreateAsync(connection, transaction, userId, null, session, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>The counted failures of the e-mail and of the IP that could lock them now.</summary>
    public async Task<LockoutReading> ReadLockoutAsync(string email, IPAddress? ip, LockoutCriteria criteria, CancellationToken cancellationToken)
    {
        // For each subject: the failures in the window (the account's only since its last success or
        // its last password reset: the owner proved they hold the mailbox) and the time of the
        // failure that reached the last multiple of the threshold.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<LockoutFailures>(new CommandDefinition(
            """
            with account as (
                select attempted_at, row_number() over (order by attempted_at) as n, count(*) over () as total
                from login_attempts
                where email = @email and not success and failure_reason = any(@CountedFailures)
                  and attempted_at > greatest(now() - @Window,
                      coalesce((select max(attempted_at) from login_attempts where email = @email and success), '-infinity'),
                      coalesce((select max(r.used_at) from password_resets r join users u on u.id = r.user_id where u.email = @email), '-infinity'))
            ), ip as (
                select attempted_at, row_number() over (order by attempted_at) as n, count(*) over () as total
                from login_attempts
                where @ip::inet is not null and ip_address = @ip and not success and failure_reason = any(@CountedFailures)
                  and attempted_at > now() - @Window
            )
            select 'account' as subject, total as failures, attempted_at as locked_at from account where n = (total / @AccountThreshold) * @AccountThreshold
            union all
            select 'ip', total, attempted_at from ip where n = (total / @IpThreshold) * @IpThreshold
            union all
            select 'now', 0, now()
            """,
            new { email, ip, criteria.CountedFailures, criteria.Window, AccountThreshold = (long)criteria.AccountThreshold, IpThreshold = (long)criteria.IpThreshold },
            cancellationToken: cancellationToken))).AsList();
        var now = rows.Single(r => r.Subject == "now").LockedAt;
        return new LockoutReading(rows.Where(r => r.Subject != "now").ToList(), now);
    }
}
