namespace MestresCafe.Api.Infrastructure;

/// <summary>
/// The "Redis" section. Every Redis key and channel the product uses starts with
/// <see cref="KeyPrefix"/>, so that deployments (and test classes) sharing one Redis never see each
/// other's entries.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>
    /// Empty means the service id (<c>Orleans:ServiceId</c>) and a colon: two deployments sharing one
    /// Redis are isolated unless they are configured as the same service.
    /// </summary>
    public string? KeyPrefix { get; set; }

    /// <summary>
    /// Outside Development a Redis connection string without a password is refused at start; true
    /// accepts one (a Redis reachable only by this server, by the operator's own decision).
    /// </summary>
    public bool AllowNoPassword { get; set; }

    /// <summary>
    /// How long a request waits for one Redis call before going on without it. Redis answers in well
    /// under a millisecond on a healthy network; waiting longer than this only makes a hung Redis
    /// everyone's problem.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long Redis is left alone once calls started failing or timing out.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    public string Key(string name) => KeyPrefix + name;
}
