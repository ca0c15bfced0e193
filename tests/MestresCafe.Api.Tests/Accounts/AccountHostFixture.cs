using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>
/// One <see cref="ApiTestHost"/> per test class (xUnit makes a class instance per test, so a host
/// started in the class itself would start once per test).
/// </summary>
public abstract class AccountHostFixture : IAsyncLifetime
{
    public ApiTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Tests choose their client address with X-Forwarded-For (the in-process server has none).
        Host = Configure(new ApiTestHost().With("ForwardedHeaders:Enabled", "true").With("ForwardedHeaders:TrustAllProxies", "true"));
        await Host.InitializeAsync();
    }

    public Task DisposeAsync() => Host.DisposeAsync();

    protected abstract ApiTestHost Configure(ApiTestHost host);
}

/// <summary>A host where rate limits and the IP lock never interfere: tests of the account rules themselves.</summary>
public sealed class UnlimitedHostFixture : AccountHostFixture
{
    protected override ApiTestHost Configure(ApiTestHost host) =>
        host.With("RateLimits:Enabled", "false").With("Accounts:Lockout:IpThreshold", "10000");
}
