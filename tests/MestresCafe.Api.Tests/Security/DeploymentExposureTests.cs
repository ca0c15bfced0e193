using System.Net;
using System.Text.RegularExpressions;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Security;

/// <summary>
/// The deploy files keep the Orleans silo and gateway ports away from clients (only the cluster's
/// own servers reach them) and let the server see the client's address behind the ingress.
/// </summary>
public sealed partial class DeploymentExposureTests
{
    private static readonly string[] _orleansPorts = ["11111", "30000"];

    [Fact]
    public void Compose_publishes_only_http()
    {
        var compose = Read("docker-compose.yml");

        var published = PublishedPort().Matches(compose).Select(m => m.Groups["container"].Value).ToList();

        Assert.NotEmpty(published);
        Assert.All(published, port => Assert.Equal("8080", port));
        Assert.DoesNotContain("expose:", compose, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_exposes_only_http()
    {
        var exposed = Read("deploy/Dockerfile").Split('\n').Where(l => l.StartsWith("EXPOSE", StringComparison.Ordinal)).ToList();

        Assert.Equal(["EXPOSE 8080"], exposed.Select(l => l.Trim()));
    }

    [Fact]
    public void In_kubernetes_only_server_pods_reach_the_orleans_ports()
    {
        var policy = KubernetesObject("NetworkPolicy");

        Assert.Contains("podSelector:\n    matchLabels: { app: mestrescafe-server }", policy, StringComparison.Ordinal);
        Assert.Contains("policyTypes: [Ingress]", policy, StringComparison.Ordinal);
        // The rule naming the silo and gateway ports admits the server pods and nothing else.
        var orleansRule = policy[policy.IndexOf("- from:", StringComparison.Ordinal)..policy.IndexOf("port: gateway", StringComparison.Ordinal)];
        Assert.Contains("podSelector:", orleansRule, StringComparison.Ordinal);
        Assert.Contains("app: mestrescafe-server", orleansRule, StringComparison.Ordinal);
        Assert.Contains("port: silo", orleansRule, StringComparison.Ordinal);
        Assert.DoesNotContain("namespaceSelector", orleansRule, StringComparison.Ordinal);
        Assert.DoesNotContain("ipBlock", policy, StringComparison.Ordinal);
        Assert.All(_orleansPorts, port => Assert.DoesNotContain("port: " + port, KubernetesObject("Service")));
    }

    [Fact]
    public void In_kubernetes_the_server_reads_the_client_address_from_the_ingress()
    {
        var deployment = KubernetesObject("Deployment");

        Assert.Matches(@"name: ForwardedHeaders__Enabled, value: ""true""", deployment);
        var network = KnownNetwork().Match(deployment);
        Assert.True(network.Success, "ForwardedHeaders__KnownNetworks__0 is not set");
        Assert.True(IPNetwork.TryParse(network.Groups["cidr"].Value, out _), network.Value);
    }

    /// <summary>The one document of deploy/k8s/server.yaml whose top-level kind is <paramref name="kind"/>.</summary>
    private static string KubernetesObject(string kind) =>
        Read("deploy/k8s/server.yaml").Split("\n---\n").Single(d => d.Split('\n').Contains("kind: " + kind));

    private static string Read(string path) => File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, path)).Replace("\r\n", "\n", StringComparison.Ordinal);

    // "- "5080:8080"" under a ports: key.
    [GeneratedRegex(@"^\s*-\s*""?(?:[\d.]+:)?\d+:(?<container>\d+)""?\s*$", RegexOptions.Multiline)]
    private static partial Regex PublishedPort();

    [GeneratedRegex(@"name: ForwardedHeaders__KnownNetworks__0, value: (?<cidr>[0-9a-fA-F.:/]+)")]
    private static partial Regex KnownNetwork();
}
