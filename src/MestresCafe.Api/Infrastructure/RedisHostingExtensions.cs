using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace MestresCafe.Api.Infrastructure;

public static class RedisHostingExtensions
{
    /// <summary>
    /// The Redis connection (<c>ConnectionStrings:Redis</c>), its key prefix (the service id unless
    /// <c>Redis:KeyPrefix</c> says otherwise), the password rule, and the guard every request-path
    /// call goes through.
    /// </summary>
    public static IHostApplicationBuilder AddMestresRedis(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379";
        builder.Services.AddOptions<RedisOptions>()
            .BindConfiguration(RedisOptions.Section)
            // The silo's own service id: servers of one service share entries, other services never see them.
            .PostConfigure<IOptions<ClusterOptions>>((options, cluster) =>
            {
                if (string.IsNullOrWhiteSpace(options.KeyPrefix))
                {
                    options.KeyPrefix = cluster.Value.ServiceId + ":";
                }
            })
            .Validate(o => o.OperationTimeout > TimeSpan.Zero && o.BreakDuration > TimeSpan.Zero, "Redis:OperationTimeout and Redis:BreakDuration must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RedisOptions>>(provider =>
            new RedisPasswordRule(connectionString, provider.GetRequiredService<IHostEnvironment>()));

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(connectionString);
            // Redis is a cache and a limiter: the server starts and serves without it.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2000;
            options.SyncTimeout = 1000;
            options.AsyncTimeout = 1000;
            return ConnectionMultiplexer.Connect(options);
        });
        builder.Services.AddSingleton<RedisGuard>();
        return builder;
    }
}

/// <summary>
/// No default secrets, the Redis password included: outside Development a connection string
/// without <c>password=</c> is refused at start unless <c>Redis:AllowNoPassword=true</c> says the
/// operator meant it. A Redis anyone on the network can write to could otherwise fill the caches
/// and limits of every server.
/// </summary>
internal sealed class RedisPasswordRule(string connectionString, IHostEnvironment environment) : IValidateOptions<RedisOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        if (environment.IsDevelopment() || options.AllowNoPassword || HasPassword(connectionString))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            "ConnectionStrings:Redis has no password: outside Development the server does not start without one " +
            "(add password=... to the connection string, or set Redis:AllowNoPassword=true for a Redis only this server can reach).");
    }

    public static bool HasPassword(string connectionString)
    {
        try
        {
            return !string.IsNullOrEmpty(ConfigurationOptions.Parse(connectionString).Password);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
