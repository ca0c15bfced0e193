using MestresCafe.Api.Accounts;
using MestresCafe.Data.Accounts;
using Microsoft.Extensions.Options;

namespace MestresCafe.Server.Administration;

/// <summary>
/// The deployment's first administrator from settings (Bootstrap:AdminEmail and
/// Bootstrap:AdminPassword, the password best as a secret file), for Kubernetes and compose where
/// nobody runs <c>admin create</c> by hand. At every start, after the migrations: while the store has
/// no administrator, the account is created with the admin role; once one exists nothing happens,
/// so the settings may stay and an existing administrator is never overwritten.
/// </summary>
public static class AdminBootstrapHostingExtensions
{
    public static WebApplicationBuilder AddAdminBootstrap(this WebApplicationBuilder builder)
    {
        // Bad settings stop the start with the problem named, rather than a store nobody can administer.
        builder.Services.AddOptions<AdminBootstrapOptions>().BindConfiguration(AdminBootstrapOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AdminBootstrapOptions>, SettingsValidator>();
        builder.Services.AddSingleton<AdministratorAccountStore>();
        if (!string.IsNullOrEmpty(builder.Configuration[$"{AdminBootstrapOptions.Section}:{nameof(AdminBootstrapOptions.AdminEmail)}"]))
        {
            builder.Services.AddHostedService<BootstrapOnStartup>();
        }

        return builder;
    }

    private sealed class BootstrapOnStartup(
        AdministratorAccountStore store, IOptions<AdminBootstrapOptions> options, ILogger<BootstrapOnStartup> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var settings = options.Value;
            var (identity, _) = AdministratorInput.Identity(settings.AdminEmail, "", settings.AdminName, "");
            var outcome = await store.BootstrapAsync(identity!, PasswordHasher.Hash(settings.AdminPassword!), cancellationToken);
            switch (outcome)
            {
                case BootstrapOutcome.Created:
                    logger.LogInformation("Created the first administrator {Email} from Bootstrap:AdminEmail", identity!.Email);
                    break;
                case BootstrapOutcome.EmailTaken:
                    // Someone may have registered the address first: promoting that account would
                    // hand the store to whoever holds its password.
                    logger.LogError(
                        "No administrator exists and Bootstrap:AdminEmail {Email} belongs to an existing account, which is not promoted automatically; run 'admin create --email {Email} --password ...' to take it over",
                        identity!.Email, identity.Email);
                    break;
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class SettingsValidator : IValidateOptions<AdminBootstrapOptions>
    {
        public ValidateOptionsResult Validate(string? name, AdminBootstrapOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}

public sealed class AdminBootstrapOptions
{
    public const string Section = "Bootstrap";

    /// <summary>The first administrator's e-mail; empty = no bootstrap.</summary>
    public string? AdminEmail { get; set; }

    /// <summary>Required with <see cref="AdminEmail"/>; a secret (a file in the secrets folder, never a plain setting in a manifest).</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Optional "First Last".</summary>
    public string? AdminName { get; set; }

    /// <summary>The first problem with the settings, or null (also null when no bootstrap is asked for).</summary>
    public string? Problem()
    {
        if (string.IsNullOrEmpty(AdminEmail))
        {
            return null;
        }

        var (identity, error) = AdministratorInput.Identity(AdminEmail, "Bootstrap:AdminEmail", AdminName, "Bootstrap:AdminName");
        if (error is not null)
        {
            return error;
        }

        return string.IsNullOrEmpty(AdminPassword)
            ? "Bootstrap:AdminPassword is required with Bootstrap:AdminEmail (e.g. a secret file Bootstrap__AdminPassword)"
            : AdministratorInput.Password(AdminPassword, identity!.Email, "Bootstrap:AdminPassword");
    }
}
