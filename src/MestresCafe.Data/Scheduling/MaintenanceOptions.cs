namespace MestresCafe.Data.Scheduling;

/// <summary>
/// The windows of the maintenance tasks (<c>Maintenance</c>), live settings
/// <c>partitions.months_ahead</c> and <c>retention.*</c> (see <c>SettingCatalog</c>).
/// </summary>
public sealed class MaintenanceOptions
{
    public const string Section = "Maintenance";

    /// <summary>Monthly partitions kept ready beyond the current month.</summary>
    public int PartitionMonthsAhead { get; set; } = 3;

    /// <summary>Login attempts older than this are deleted (LGPD: data minimisation; the lockout looks back a day).</summary>
    public TimeSpan LoginAttempts { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Sessions expired (refresh token included) for longer than this are deleted.</summary>
    public TimeSpan ExpiredSessions { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Password reset links expired for longer than this are deleted.</summary>
    public TimeSpan ExpiredPasswordResets { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Months of system_logs kept.</summary>
    public int SystemLogsMonths { get; set; } = 6;

    /// <summary>
    /// Payment webhooks settled for longer than this lose their payload (the row, its status and
    /// the provider's event id stay: they keep deduplicating redeliveries and show what happened).
    /// </summary>
    public TimeSpan WebhookPayloads { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Rows deleted per statement: each one is short and holds few locks.</summary>
    public int BatchSize { get; set; } = 5000;
}
