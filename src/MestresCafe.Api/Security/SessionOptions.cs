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
    /// How long a server keeps a session it validated, and a profile GET /api/me read, in memory
    /// (<see cref="LocalCache"/>), so that repeated requests need no Redis call and no PostgreSQL
    /// query; revocations and profile changes still reach every server at once by a Redis message.
    /// Zero turns the memory off (every request asks Redis, every profile read PostgreSQL).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan LocalCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many sessions and profiles together a server keeps in memory at most (a few hundred bytes to a few KB each); when full, a new one is not kept and the least recently used are evicted.</summary>
    [Range(1, 10_000_000)]
    public int LocalCacheSize { get; set; } = 100_000;

    /// <summary>
    /// How long a server goes on using its memory without hearing its own heartbeat back through
    /// Redis (sent every quarter of this): the longest a server that lost Redis, or the messages of
    /// it, may still accept a session revoked meanwhile or answer a profile changed meanwhile. After
    /// that it asks Redis or PostgreSQL. A revocation or profile change waits this long at most for
    /// the other servers' acknowledgements, so it must be the same on every server.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00")]
    public TimeSpan LocalCacheTrustWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The key of the HMAC over each session entry cached in Redis (<c>Sessions:SigningKey</c>), so
    /// that whoever can write to Redis cannot grant a session roles: an entry that does not verify
    /// is ignored and the session is read from PostgreSQL. A secret: no default (see SecretSetting).
    /// </summary>
    public string? SigningKey { get; set; }
}
