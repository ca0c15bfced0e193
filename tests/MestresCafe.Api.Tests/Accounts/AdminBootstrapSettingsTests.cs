using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Server.Administration;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>The Bootstrap settings are checked before the server starts, with the setting named.</summary>
public sealed class AdminBootstrapSettingsTests
{
    [Theory]
    [InlineData("admin@example.com", null, "Bootstrap:AdminPassword is required")]
    [InlineData("not-an-email", "Primeiro-acesso-2026", "Bootstrap:AdminEmail")]
    [InlineData("admin@example.com", "curta", "Bootstrap:AdminPassword")]
    [InlineData("admin@example.com", "admin@example.com", "Bootstrap:AdminPassword")]
    [InlineData(null, null, null)]
    public void Bootstrap_settings_are_checked_before_the_start(string? email, string? password, string? problem)
    {
        var options = new AdminBootstrapOptions { AdminEmail = email, AdminPassword = password };

        if (problem is null)
        {
            Assert.Null(options.Problem());
        }
        else
        {
            Assert.StartsWith(problem, options.Problem());
        }
    }

    [Fact]
    public async Task A_server_with_an_administrator_e_mail_and_no_password_refuses_to_start()
    {
        var host = new ApiTestHost().WithoutDemoData().With("Bootstrap:AdminEmail", "admin@mestres.example");
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);

            Assert.Contains("Bootstrap:AdminPassword is required", error.ToString());
            Assert.Equal(0, await host.Database.ScalarAsync<int>("select count(*) from users"));
        }
        finally
        {
            await host.Database.DisposeAsync();
        }
    }
}
