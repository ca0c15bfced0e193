using System.Net;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Security;

/// <summary>Where a request comes from, as recorded with sessions and login attempts.</summary>
public sealed record ClientInfo(IPAddress? Ip, string? UserAgent)
{
    // A user agent is recorded, not trusted: keep the row small whatever the client sends.
    private const int MaxUserAgent = 512;

    public static ClientInfo From(HttpContext http)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new ClientInfo(
            http.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : http.Connection.RemoteIpAddress,
            agent.Length == 0 ? null : agent.Length > MaxUserAgent ? agent[..MaxUserAgent] : agent);
    }
}
