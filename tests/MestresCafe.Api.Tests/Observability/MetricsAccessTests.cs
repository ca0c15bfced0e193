using MestresCafe.Server.Observability;

namespace MestresCafe.Api.Tests.Observability;

public sealed class MetricsAccessTests
{
    private const string Token = "a-metrics-token-of-at-least-thirty-two-bytes";

    [Fact]
    public void Only_connections_to_the_internal_port_see_the_endpoint()
    {
        var access = new MetricsAccess(port: 9464, bearerToken: null);

        Assert.Equal(200, access.Check(9464, null));
        Assert.Equal(404, access.Check(8080, null));
    }

    [Fact]
    public void With_a_token_only_its_exact_bearer_header_is_let_in()
    {
        var access = new MetricsAccess(port: null, bearerToken: Token);

        Assert.Equal(200, access.Check(8080, "Bearer " + Token));
        Assert.Equal(401, access.Check(8080, null));
        Assert.Equal(401, access.Check(8080, "Bearer " + Token[..^1]));
        Assert.Equal(401, access.Check(8080, Token));
    }

    [Fact]
    public void With_both_the_port_is_checked_first_then_the_token()
    {
        var access = new MetricsAccess(port: 9464, bearerToken: Token);

        Assert.Equal(404, access.Check(8080, "Bearer " + Token));
        Assert.Equal(401, access.Check(9464, "Bearer wrong"));
        Assert.Equal(200, access.Check(9464, "Bearer " + Token));
    }
}
