using MestresCafe.Data.Accounts;
using MestresCafe.Data.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Security;

public static class SecurityHostingExtensions
{
    /// <summary>Session bearer authentication (memory, then Redis, PostgreSQL as the record) and permission policies.</summary>
    public static IHostApplicationBuilder AddMestresSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SessionOptions>().BindConfiguration(SessionOptions.Section).ValidateDataAnnotations().ValidateOnStart()
            .RequireSecret($"{SessionOptions.Section}:{nameof(SessionOptions.SigningKey)}", o => o.SigningKey, (o, secret) => o.SigningKey = secret);
        builder.AddMestresClientAddress();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<PendingCacheRemovals>();
        builder.Services.AddHostedService<PendingCacheRemovalWorker>();
        builder.Services.AddSingleton<SessionEntrySigner>();
        builder.Services.AddSingleton<LocalCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalCache>());
        builder.Services.AddSingleton<SessionCache>();
        builder.Services.AddSingleton<UserSessionStore>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<SessionValidator>();

        builder.Services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        return builder;
    }
}
