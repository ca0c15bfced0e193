using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace MestresCafe.Server.Health;

/// <summary>Healthy while this server's silo is an active member of the cluster.</summary>
internal sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails localSilo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(localSilo.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        var data = new Dictionary<string, object>
        {
            ["silo"] = localSilo.SiloAddress.ToString(),
            ["status"] = status.ToString(),
            ["activeSilos"] = active,
        };
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo active; {active} active silo(s) in the cluster", data)
            : HealthCheckResult.Unhealthy($"silo is {status}", data: data));
    }
}
