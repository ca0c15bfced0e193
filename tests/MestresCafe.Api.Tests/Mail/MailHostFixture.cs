using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Mail;

/// <summary>One server whose mail sender talks to a real SMTP server of the class's own (<see cref="MailServer"/>).</summary>
public class MailHostFixture : IAsyncLifetime
{
    public MailServer Mail { get; private set; } = null!;
    public ApiTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Mail = await MailServer.StartAsync();
        Host = Configure(new ApiTestHost().With("RateLimits:Enabled", "false"));
        foreach (var (key, value) in Mail.SenderSettings)
        {
            Host.With(key, value);
        }

        await Host.InitializeAsync();
    }

    /// <summary>Settings a derived fixture adds before the host starts.</summary>
    protected virtual ApiTestHost Configure(ApiTestHost host) => host;

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Mail.DisposeAsync();
    }
}
