using MestresCafe.Data.Configuration;
using MestresCafe.Grains;
using MestresCafe.Payments;
using MestresCafe.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Tests.Security;

/// <summary>No secret has a default: outside Development the server does not start without each one.</summary>
public sealed class RequiredSecretsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dev-webhook-secret-change-me")] // the literal an earlier version fell back to: 28 bytes
    [InlineData("short-but-not-empty")]
    public void Outside_development_the_server_refuses_to_start_without_a_strong_webhook_secret(string? secret)
    {
        using var factory = Server("Production", ("Payments:WebhookSecret", secret));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);
        Assert.Contains("Payments:WebhookSecret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sessions:SigningKey", null)]
    [InlineData("Sessions:SigningKey", "short-but-not-empty")]
    [InlineData("Accounts:LinkKey", null)]
    [InlineData("Accounts:LinkKey", "short-but-not-empty")]
    public void Outside_development_the_server_refuses_to_start_without_the_session_and_link_keys(string key, string? secret)
    {
        using var factory = Server("Production", (key, secret));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_development_a_missing_webhook_secret_is_random_per_process()
    {
        var a = DevelopmentOptions().WebhookSecret;
        var b = DevelopmentOptions().WebhookSecret;

        Assert.True(SecretSetting.IsStrong(a));
        Assert.NotEqual(a, b);
    }

    private static PaymentOptions DevelopmentOptions()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        services.AddMestresGrains(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<PaymentOptions>>().Value;
    }

    /// <summary>
    /// A host that is only built, never given a database: the secrets are checked before any hosted
    /// service (the silo, migrations) starts.
    /// </summary>
    private static WebApplicationFactory<Program> Server(string environment, params (string Key, string? Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment);
            web.UseSetting("ConnectionStrings:Postgres", TestEnvironment.PostgresServer + ";Database=mc_never_created;Timeout=1");
            web.UseSetting("Database:MigrateOnStartup", "false");
            web.UseSetting("ConnectionStrings:Redis", TestEnvironment.Redis);
            foreach (var (key, value) in TestEnvironment.ServerSecrets)
            {
                web.UseSetting(key, value);
            }

            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });
}
