using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Accounts;

public sealed class AccountOptions
{
    public const string Section = "Accounts";

    public LockoutOptions Lockout { get; set; } = new();

    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long the link sent at registration confirms the e-mail; a signed-in user can ask for a new one.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan EmailVerificationLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// The key that seals the links of account messages (password reset, e-mail confirmation) in
    /// the notifications outbox (<c>Accounts:LinkKey</c>), so that no table holds a usable token.
    /// A secret: no default (see SecretSetting).
    /// </summary>
    public string? LinkKey { get; set; }
}

/// <summary>
/// Lockout computed from login_attempts: every <see cref="AccountThreshold"/> failed attempts on one
/// e-mail (since its last success) lock it for <see cref="BaseDuration"/>, doubling at each further
/// threshold, up to <see cref="MaxDuration"/>. Failures from one IP over all e-mails lock the IP the
/// same way with a higher threshold (an office or a carrier NAT shares one address).
/// </summary>
public sealed class LockoutOptions
{
    [Range(1, 1000)]
    public int AccountThreshold { get; set; } = 5;

    [Range(1, 10000)]
    public int IpThreshold { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How far back failures count: a quiet day forgives everything.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(1);
}
