namespace MestresCafe.Api.Infrastructure;

/// <summary>
/// Every Redis key the product writes starts with <see cref="KeyPrefix"/>, so that environments
/// (and test classes) sharing one Redis never see each other's keys.
/// </summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    public string KeyPrefix { get; set; } = "mc:";

    public string Key(string name) => KeyPrefix + name;
}
