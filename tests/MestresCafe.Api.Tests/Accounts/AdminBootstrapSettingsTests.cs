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
}
