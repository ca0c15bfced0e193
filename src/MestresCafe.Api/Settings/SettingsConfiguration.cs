using Microsoft.Extensions.Configuration;

namespace MestresCafe.Api.Settings;

/// <summary>
/// The live settings as a configuration source: the options system reads system_configurations
/// through it like any other configuration, and <c>IOptionsMonitor</c> sees a change as soon as
/// <see cref="LiveSettings"/> applies one. It never reads the table itself: the loader does, with
/// the server's own data source, once the migrations ran.
/// </summary>
public sealed class SettingsConfigurationSource : IConfigurationSource
{
    /// <summary>One provider for the source's lifetime: the configuration rebuilds its providers when sources change.</summary>
    public SettingsConfigurationProvider Provider { get; } = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

public sealed class SettingsConfigurationProvider : ConfigurationProvider
{
    /// <summary>Replaces every value (configuration path to value) and tells the options system.</summary>
    public void Apply(IReadOnlyDictionary<string, string?> values)
    {
        Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        OnReload();
    }

    /// <summary>What the table currently sets, for the back office's "in force" column.</summary>
    public IReadOnlyDictionary<string, string?> Values => new Dictionary<string, string?>(Data, StringComparer.OrdinalIgnoreCase);

    // Nothing to read here: the values arrive through Apply.
    public override void Load()
    {
    }
}
