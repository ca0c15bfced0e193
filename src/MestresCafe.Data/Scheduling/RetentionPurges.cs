using System.Globalization;
using Dapper;
using MestresCafe.Scheduling;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Data.Scheduling;

/// <summary>
/// Deletes (or, for webhook payloads, empties) the rows of one table that are past their window, in
/// batches of <see cref="MaintenanceOptions.BatchSize"/> so that no statement runs long or locks much.
/// The cut-off is taken from the database's clock once per run.
/// </summary>
public abstract class RetentionPurge(NpgsqlDataSource dataSource, IOptionsMonitor<MaintenanceOptions> options) : IScheduledTask
{
    /// <summary>One batch: must touch at most <c>@batch</c> rows older than <c>@cutoff</c>, and none twice.</summary>
    protected abstract string BatchSql { get; }

    /// <summary>How far back rows are kept, from the current options.</summary>
    protected abstract string Window(MaintenanceOptions options);

    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var current = options.CurrentValue;
        var cutoff = await connection.ExecuteScalarAsync<DateTimeOffset>(new CommandDefinition(
            "select now() - @window::interval", new { window = Window(current) }, cancellationToken: cancellationToken));
        var total = 0;
        int affected;
        do
        {
            affected = await connection.ExecuteAsync(new CommandDefinition(
                BatchSql, new { cutoff, batch = current.BatchSize }, cancellationToken: cancellationToken));
            total += affected;
        }
        while (affected >= current.BatchSize);

        return total;
    }

    protected static string Interval(TimeSpan window) => string.Create(CultureInfo.InvariantCulture, $"{window.TotalSeconds} seconds");
}

/// <summary><c>login_attempts.purge</c>: login attempts past <c>retention.login_attempts_days</c>.</summary>
public sealed class LoginAttemptsPurge(NpgsqlDataSource dataSource, IOptionsMonitor<MaintenanceOptions> options) : RetentionPurge(dataSource, options)
{
    public const string TaskName = "login_attempts.purge";

    protected override string BatchSql =>
        "delete from login_attempts where id in (select id from login_attempts where attempted_at < @cutoff limit @batch)";

    protected override string Window(MaintenanceOptions options) => Interval(options.LoginAttempts);
}

/// <summary><c>sessions.purge_expired</c>: sessions whose refresh token (or the session itself) expired past <c>retention.expired_sessions_days</c>.</summary>
public sealed class ExpiredSessionsPurge(NpgsqlDataSource dataSource, IOptionsMonitor<MaintenanceOptions> options) : RetentionPurge(dataSource, options)
{
    public const string TaskName = "sessions.purge_expired";

    protected override string BatchSql =>
        """
        delete from user_sessions where id in (
            select id from user_sessions where greatest(expires_at, coalesce(refresh_expires_at, expires_at)) < @cutoff limit @batch)
        """;

    protected override string Window(MaintenanceOptions options) => Interval(options.ExpiredSessions);
}

/// <summary><c>password_resets.purge</c>: reset links expired past <c>retention.password_resets_days</c>.</summary>
public sealed class PasswordResetsPurge(NpgsqlDataSource dataSource, IOptionsMonitor<MaintenanceOptions> options) : RetentionPurge(dataSource, options)
{
    public const string TaskName = "password_resets.purge";

    protected override string BatchSql =>
        "delete from password_resets where id in (select id from password_resets where expires_at < @cutoff limit @batch)";

    protected override string Window(MaintenanceOptions options) => Interval(options.ExpiredPasswordResets);
}

/// <summary><c>system_logs.purge</c>: system log rows older than <c>retention.system_logs_months</c>.</summary>
public sealed class SystemLogsPurge(NpgsqlDataSource dataSource, IOptionsMonitor<MaintenanceOptions> options) : RetentionPurge(dataSource, options)
{
    public const string TaskName = "system_logs.purge";

    // By its primary key, which holds the partition key: the delete prunes to the old partitions.
    protected override string BatchSql =>
        """
        delete from system_logs where (id, created_at) in (
            select id, created_at from system_logs where created_at < @cutoff limit @batch)
        """;

    protected override string Window(MaintenanceOptions options) => string.Create(CultureInfo.InvariantCulture, $"{options.SystemLogsMonths} months");
}

/// <summary>
/// <c>payment_webhooks.purge_payloads</c>: the payloads of settled webhooks past
/// <c>retention.webhook_payloads_days</c> (personal data of the payer); the rows stay.
/// </summary>
public sealed class WebhookPayloadsPurge(NpgsqlDataSource dataSource, IOptionsMonitor<MaintenanceOptions> options) : RetentionPurge(dataSource, options)
{
    public const string TaskName = "payment_webhooks.purge_payloads";

    protected override string BatchSql =>
        """
        update payment_webhooks set payload = '{}'::jsonb where id in (
            select id from payment_webhooks
            where received_at < @cutoff and status in ('processed', 'failed', 'ignored') and payload <> '{}'::jsonb
            limit @batch)
        """;

    protected override string Window(MaintenanceOptions options) => Interval(options.WebhookPayloads);
}
