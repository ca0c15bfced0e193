using MestresCafe.Data.Accounts;
using MestresCafe.Data.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Accounts;

public static class AccountsHostingExtensions
{
    public static IHostApplicationBuilder AddMestresAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .RequireSecret($"{AccountOptions.Section}:{nameof(AccountOptions.LinkKey)}", o => o.LinkKey, (o, secret) => o.LinkKey = secret);
        builder.Services.AddSingleton<RegistrationStore>();
        builder.Services.AddSingleton<UserProfileStore>();
        builder.Services.AddSingleton<LoginStore>();
        builder.Services.AddSingleton<PasswordResetStore>();
        builder.Services.AddSingleton<EmailVerificationStore>();
        builder.Services.AddSingleton<UserAdminStore>();
        builder.Services.AddSingleton<RoleAdminStore>();
        builder.Services.AddSingleton<AccountLinks>();
        builder.Services.AddSingleton<LoginAttempts>();
        builder.Services.AddSingleton<LoginService>();
        builder.Services.AddSingleton<ProfileCache>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<PasswordResetService>();
        builder.Services.AddSingleton<EmailVerificationService>();
        builder.Services.AddSingleton<UserAdminService>();
        builder.Services.AddSingleton<RoleAdminService>();
        return builder;
    }
}
