using IPNetwork = System.Net.IPNetwork;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Security;

/// <summary>
/// The "ForwardedHeaders" section. Behind a load balancer or ingress every request comes from the
/// proxy's address, so per-IP rate limits and the IP lockout would throttle all clients together;
/// enabled, the client address is taken from X-Forwarded-For when the request comes from a trusted
/// proxy (loopback by default, or <see cref="KnownNetworks"/>).
/// </summary>
public sealed class ClientAddressOptions
{
    public const string Section = "ForwardedHeaders";

    public bool Enabled { get; set; }

    /// <summary>CIDR ranges of the proxies, e.g. the cluster's pod network.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Any sender is trusted: only where nothing but the proxy can reach the server (and tests).</summary>
    public bool TrustAllProxies { get; set; }
}

public static class ClientAddressHosting
{
    public static IHostApplicationBuilder AddMestresClientAddress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClientAddressOptions>().BindConfiguration(ClientAddressOptions.Section)
            .Validate(o => o.KnownNetworks.All(n => IPNetwork.TryParse(n, out _)), "ForwardedHeaders:KnownNetworks holds CIDR ranges such as 10.0.0.0/8.")
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ClientAddressOptions>>((forwarded, settings) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (settings.Value.TrustAllProxies)
            {
                forwarded.KnownIPNetworks.Clear();
                forwarded.KnownProxies.Clear();
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that everything after it sees the client's address.</summary>
    public static WebApplication UseMestresClientAddress(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ClientAddressOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
