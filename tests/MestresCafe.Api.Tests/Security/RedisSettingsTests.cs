using MestresCafe.Api.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// No default Redis password: outside Development a connection string without one stops the start,
/// unless the operator says so. Keys are the service's own unless a prefix is set.
/// </summary>
public sealed class RedisSettingsTests
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_development_a_redis_without_a_password_is_refused(string environment)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(environment, ("ConnectionStrings:Redis", "redis.internal:6379")));

        Assert.Contains("ConnectionStrings:Redis has no password", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production", "redis.internal:6379,password=s3nha-longa-de-verdade")]
    [InlineData("Production", "redis.internal:6379,user=mestres,password=s3nha,ssl=true")]
    [InlineData("Development", "127.0.0.1:6379")]
    public void A_password_or_development_starts(string environment, string connectionString) =>
        Assert.NotNull(Options(environment, ("ConnectionStrings:Redis", connectionString)));

    [Fact]
    public void Allowing_no_password_is_an_explicit_setting() =>
        Assert.True(Options("Production", ("ConnectionStrings:Redis", "127.0.0.1:6379"), ("Redis:AllowNoPassword", "true")).AllowNoPassword);

    [Fact]
    public void Keys_start_with_the_service_id_unless_a_prefix_is_set()
    {
        var secure = ("ConnectionStrings:Redis", "127.0.0.1:6379,password=x");

        Assert.Equal("loja-sp:session:abc", Options("Production", secure, ("Orleans:ServiceId", "loja-sp")).Key("session:abc"));
        Assert.Equal("homolog:rl:x", Options("Production", secure, ("Orleans:ServiceId", "loja-sp"), ("Redis:KeyPrefix", "homolog:")).Key("rl:x"));
    }

    private static RedisOptions Options(string environment, params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)));
        // What the silo configures from Orleans:ServiceId.
        builder.Services.Configure<Orleans.Configuration.ClusterOptions>(o => o.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "mestrescafe");
        builder.AddMestresRedis();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<RedisOptions>>().Value;
    }
}
