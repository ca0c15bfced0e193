using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Server.Hosting;

/// <summary>
/// Where this server's silo listens and which cluster it joins. Several servers on one machine
/// form one cluster when they share ClusterId/ServiceId and the PostgreSQL database, and differ in
/// ports.
/// </summary>
public sealed class OrleansHostOptions
{
    public const string Section = "Orleans";

    [Required] public string ClusterId { get; set; } = "mestrescafe";
    [Required] public string ServiceId { get; set; } = "mestrescafe";
    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;
    /// <summary>
    /// The address other silos reach this one at; empty means this host's first IPv4 address
    /// (containers, pods).
    /// </summary>
    public string AdvertisedIP { get; set; } = "127.0.0.1";

    public System.Net.IPAddress ResolveAdvertisedAddress() =>
        string.IsNullOrWhiteSpace(AdvertisedIP)
            ? System.Net.Dns.GetHostAddresses(System.Net.Dns.GetHostName())
                .First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a))
            : System.Net.IPAddress.Parse(AdvertisedIP);
}
