using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Security;

public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>Life of an access token; revocation is immediate anyway, so this bounds a stolen token's use.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Life of a refresh token (sliding: each refresh issues a new one).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often a session's last_used is written back, at most.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The key of the HMAC over each session entry cached in Redis (<c>Sessions:SigningKey</c>), so
    /// that whoever can write to Redis cannot grant a session roles: an entry that does not verify
    /// is ignored and the session is read from PostgreSQL. A secret: no default (see SecretSetting).
    /// </summary>
    public string? SigningKey { get; set; }
}
