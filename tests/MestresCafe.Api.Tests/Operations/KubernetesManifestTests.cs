using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Operations;

/// <summary>
/// The Kubernetes manifests in deploy/k8s, loaded offline into the API's typed models (strictly: an
/// unknown or misspelt field fails), checked for what a real cluster needs: probes, requests and
/// limits, non-root with a read-only root filesystem, pinned images, no silo port published, TLS on
/// the Ingress, the migration Job on the servers' image, and every secret and config map they name
/// defined (config maps in the manifests; secrets by the commands in deploy/k8s/README.md, since
/// their values are never committed).
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string Folder = Path.Combine(TestEnvironment.RepositoryRoot, "deploy", "k8s");
    private static readonly IReadOnlyList<object> Manifests = Directory.GetFiles(Folder, "*.yaml").Order()
        .SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true)).ToList();

    private static readonly int[] OrleansPorts = [11111, 30000];

    private static V1Deployment Server => Assert.Single(Manifests.OfType<V1Deployment>());

    /// <summary>Every pod the manifests run: the servers', the migration Job's, the backup CronJobs'.</summary>
    private static IEnumerable<(string Owner, V1PodSpec Pod)> Pods =>
        Manifests.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(Manifests.OfType<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec)))
            .Concat(Manifests.OfType<V1CronJob>().Select(c => (c.Metadata.Name, c.Spec.JobTemplate.Spec.Template.Spec)));

    [Fact]
    public void Every_pod_runs_pinned_images_as_non_root_on_a_read_only_root_with_requests_and_limits()
    {
        Assert.True(Pods.Count() >= 4, "expected the server Deployment, the migration Job and two backup CronJobs");
        foreach (var (owner, pod) in Pods)
        {
            Assert.True(pod.SecurityContext?.RunAsNonRoot == true && pod.SecurityContext.RunAsUser > 0, $"{owner}: runAsNonRoot with a non-zero runAsUser");
            Assert.NotEqual(true, pod.HostNetwork);
            foreach (var container in pod.Containers)
            {
                var where = $"{owner}/{container.Name}";
                Assert.Matches(PinnedImage(), container.Image);
                Assert.DoesNotMatch(":latest$", container.Image);
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{where}: no {resource} request");
                    Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{where}: no {resource} limit");
                }

                var security = container.SecurityContext;
                Assert.True(security?.ReadOnlyRootFilesystem == true, $"{where}: root filesystem not read-only");
                Assert.True(security?.AllowPrivilegeEscalation == false, $"{where}: privilege escalation allowed");
                Assert.Contains("ALL", security?.Capabilities?.Drop ?? []);
                Assert.All(container.Ports ?? [], port => Assert.Null(port.HostPort));
            }

            // Secret files are owned by root: a non-root user reads them through fsGroup and group read.
            foreach (var secret in (pod.Volumes ?? []).Where(v => v.Secret is not null))
            {
                Assert.True(pod.SecurityContext.FsGroup is not null && ((secret.Secret.DefaultMode ?? 420) & 0b000_100_000) != 0,
                    $"{owner}: secret volume {secret.Name} unreadable for the non-root user");
            }
        }
    }

    [Fact]
    public void The_servers_have_startup_readiness_and_liveness_probes_and_leave_migrations_to_the_job()
    {
        var container = Assert.Single(Server.Spec.Template.Spec.Containers);
        Assert.NotNull(container.ReadinessProbe?.HttpGet);
        Assert.NotNull(container.LivenessProbe?.HttpGet);
        var startup = container.StartupProbe;
        Assert.NotNull(startup?.HttpGet);
        // A silo joins the cluster before it answers: the startup probe must give it at least a minute.
        Assert.True((startup.FailureThreshold ?? 3) * (startup.PeriodSeconds ?? 10) >= 60, "the startup probe gives up in under a minute");
        Assert.Contains(container.Env, e => e.Name == "Database__MigrateOnStartup" && e.Value == "false");

        var migrate = Assert.Single(Manifests.OfType<V1Job>(), j => j.Metadata.Name == "mestrescafe-migrate");
        var job = Assert.Single(migrate.Spec.Template.Spec.Containers);
        Assert.Equal(new[] { "migrate" }, job.Args);
        Assert.Equal(container.Image, job.Image);
    }

    [Fact]
    public void No_service_publishes_the_orleans_ports_and_the_ingress_serves_tls_to_an_existing_service()
    {
        var container = Assert.Single(Server.Spec.Template.Spec.Containers);
        var orleansPortNames = container.Ports.Where(p => OrleansPorts.Contains(p.ContainerPort)).Select(p => p.Name).ToHashSet();
        Assert.Equal(2, orleansPortNames.Count);
        foreach (var service in Manifests.OfType<V1Service>())
        {
            Assert.True(service.Spec.Type is null or "ClusterIP", $"{service.Metadata.Name} is {service.Spec.Type}");
            foreach (var port in service.Spec.Ports)
            {
                var target = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.DoesNotContain(target, orleansPortNames);
                Assert.DoesNotContain(port.Port, OrleansPorts);
                Assert.False(int.TryParse(target, out var number) && OrleansPorts.Contains(number), $"{service.Metadata.Name} publishes {target}");
            }
        }

        var ingress = Assert.Single(Manifests.OfType<V1Ingress>());
        var tlsHosts = ingress.Spec.Tls.Where(t => !string.IsNullOrEmpty(t.SecretName)).SelectMany(t => t.Hosts).ToHashSet();
        foreach (var rule in ingress.Spec.Rules)
        {
            Assert.Contains(rule.Host, tlsHosts);
            foreach (var path in rule.Http.Paths)
            {
                var backend = Assert.Single(Manifests.OfType<V1Service>(), s => s.Metadata.Name == path.Backend.Service.Name);
                Assert.Contains(backend.Spec.Ports, p => p.Name == path.Backend.Service.Port.Name);
            }
        }
    }

    [Fact]
    public void A_disruption_budget_keeps_servers_up_and_backups_never_overlap()
    {
        var budget = Assert.Single(Manifests.OfType<V1PodDisruptionBudget>());
        Assert.Equal(Server.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        var minimum = int.Parse(budget.Spec.MinAvailable.Value, System.Globalization.CultureInfo.InvariantCulture);
        var replicas = Manifests.OfType<V2HorizontalPodAutoscaler>().SingleOrDefault()?.Spec.MinReplicas ?? Server.Spec.Replicas ?? 1;
        Assert.InRange(minimum, 1, replicas - 1);

        var backups = Manifests.OfType<V1CronJob>().ToList();
        Assert.Equal(new[] { "full", "incr" }, backups.Select(b => b.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Args.Single(a => a.StartsWith("--type=", StringComparison.Ordinal))[7..]).Order());
        Assert.All(backups, b => Assert.Equal("Forbid", b.Spec.ConcurrencyPolicy));
    }

    [Fact]
    public void Every_secret_and_config_map_the_pods_name_is_defined_with_the_keys_they_read()
    {
        var configMaps = Manifests.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data.Keys.ToHashSet());
        var secrets = SecretsTheReadmeCreates();
        var references = 0;
        foreach (var (owner, pod) in Pods)
        {
            foreach (var volume in pod.Volumes ?? [])
            {
                if (volume.Secret is { } secret)
                {
                    Assert.True(secrets.ContainsKey(secret.SecretName), $"{owner}: secret {secret.SecretName} is created nowhere");
                    references++;
                }

                if (volume.ConfigMap is { } configMap)
                {
                    Assert.True(configMaps.ContainsKey(configMap.Name), $"{owner}: config map {configMap.Name} is defined nowhere");
                    references++;
                }
            }

            foreach (var env in pod.Containers.SelectMany(c => c.Env ?? []))
            {
                if (env.ValueFrom?.SecretKeyRef is { } key)
                {
                    Assert.True(secrets.TryGetValue(key.Name, out var keys) && keys.Contains(key.Key), $"{owner}: {env.Name} reads {key.Name}/{key.Key}, which is created nowhere");
                    references++;
                }

                if (env.ValueFrom?.ConfigMapKeyRef is { } mapKey)
                {
                    Assert.True(configMaps.TryGetValue(mapKey.Name, out var keys) && keys.Contains(mapKey.Key), $"{owner}: {env.Name} reads {mapKey.Name}/{mapKey.Key}, which is defined nowhere");
                    references++;
                }
            }
        }

        foreach (var tls in Manifests.OfType<V1Ingress>().SelectMany(i => i.Spec.Tls))
        {
            Assert.True(secrets.ContainsKey(tls.SecretName), $"the Ingress's TLS secret {tls.SecretName} is created nowhere");
        }

        Assert.True(references >= 10, "the check found too few references to mean anything");
    }

    /// <summary>The secrets the README's <c>kubectl create secret</c> commands make, with their keys.</summary>
    private static Dictionary<string, HashSet<string>> SecretsTheReadmeCreates()
    {
        var readme = File.ReadAllText(Path.Combine(Folder, "README.md")).Replace("\\\n", " ", StringComparison.Ordinal);
        var secrets = new Dictionary<string, HashSet<string>>();
        foreach (Match command in CreateSecret().Matches(readme))
        {
            var keys = command.Groups["kind"].Value == "tls"
                ? ["tls.crt", "tls.key"]
                : SecretKey().Matches(command.Value).Select(m => m.Groups["key"].Value).ToHashSet();
            secrets[command.Groups["name"].Value] = keys;
        }

        Assert.NotEmpty(secrets);
        return secrets;
    }

    [GeneratedRegex(@"^[a-z0-9./-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$")]
    private static partial Regex PinnedImage();

    [GeneratedRegex(@"create secret (?<kind>generic|tls) (?<name>[a-z0-9-]+)[^\n]*")]
    private static partial Regex CreateSecret();

    [GeneratedRegex(@"--from-(literal|file)=(?<key>[A-Za-z0-9_.-]+)=")]
    private static partial Regex SecretKey();
}
