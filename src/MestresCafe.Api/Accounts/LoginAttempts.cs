using System.Net;
using MestresCafe.Api.Security;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Api.Accounts;

/// <summary>login_attempts: the record of every attempt, and the lockout derived from it.</summary>
/// <remarks>
/// The lockout is computed from PostgreSQL rather than kept in Redis so that it holds on every
/// server, survives a Redis flush and cannot be reset by whoever can reach Redis.
/// </remarks>
public sealed class LoginAttempts(NpgsqlDataSource db, IOptions<AccountOptions> options)
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

    private readonly LockoutOptions _lockout = options.Value.Lockout;

    public async Task RecordAsync(string email, ClientInfo client, string? failureReason, CancellationToken cancellationToken,
        NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null)
    {
        const string sql =
            "insert into login_attempts (email, ip_address, success, failure_reason, user_agent) values ($1, $2, $3, $4, $5)";
        await using var command = connection is null ? db.CreateCommand(sql) : new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.Add(new() { Value = email });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Inet, Value = (object?)client.Ip ?? DBNull.Value });
        command.Parameters.Add(new() { Value = failureReason is null });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)failureReason ?? DBNull.Value });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)client.UserAgent ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether the e-mail or the IP is locked now, and for how long.</summary>
    public async Task<LockoutState> GetLockoutAsync(string email, IPAddress? ip, CancellationToken cancellationToken)
    {
        // For each subject: the failures in the window (the account's only since its last success or
        // its last password reset: the owner proved they hold the mailbox)
        // and the time of the failure that reached the last multiple of the threshold.
        await using var command = db.CreateCommand(
            """
            with account as (
                select attempted_at, row_number() over (order by attempted_at) as n, count(*) over () as total
                from login_attempts
                where email = $1 and not success and failure_reason = any($3)
                  and attempted_at > greatest(now() - $4,
                      coalesce((select max(attempted_at) from login_attempts where email = $1 and success), '-infinity'),
                      coalesce((select max(r.used_at) from password_resets r join users u on u.id = r.user_id where u.email = $1), '-infinity'))
            ), ip as (
                select attempted_at, row_number() over (order by attempted_at) as n, count(*) over () as total
                from login_attempts
                where $2::inet is not null and ip_address = $2 and not success and failure_reason = any($3)
                  and attempted_at > now() - $4
            )
            select 'account', total, attempted_at from account where n = (total / $5) * $5
            union all
            select 'ip', total, attempted_at from ip where n = (total / $6) * $6
            union all
            select 'now', 0, now()
            """);
        command.Parameters.Add(new() { Value = email });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Inet, Value = (object?)ip ?? DBNull.Value });
        command.Parameters.Add(new() { Value = CountedFailures });
        command.Parameters.Add(new() { Value = _lockout.Window });
        command.Parameters.Add(new() { Value = (long)_lockout.AccountThreshold });
        command.Parameters.Add(new() { Value = (long)_lockout.IpThreshold });

        var rows = new List<(string Subject, long Failures, DateTimeOffset At)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }
        }

        var now = rows.Single(r => r.Subject == "now").At;
        return new LockoutState(Remaining(rows, "account", now, _lockout.AccountThreshold), Remaining(rows, "ip", now, _lockout.IpThreshold));
    }

    private TimeSpan Remaining(List<(string Subject, long Failures, DateTimeOffset At)> rows, string subject, DateTimeOffset now, int threshold)
    {
        foreach (var row in rows.Where(r => r.Subject == subject))
        {
            var remaining = LockoutPolicy.RemainingLock(row.Failures, row.At, now, threshold, _lockout.BaseDuration, _lockout.MaxDuration);
            return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
        }

        return TimeSpan.Zero;
    }
}

/// <summary>Time left on each lock; zero when not locked.</summary>
public readonly record struct LockoutState(TimeSpan Account, TimeSpan Ip);
