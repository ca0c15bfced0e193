using System.Net;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Accounts.AccountTestClient;

namespace MestresCafe.Api.Tests.Accounts;

public sealed class IpLockoutHostFixture : AccountHostFixture
{
    protected override ApiTestHost Configure(ApiTestHost host) =>
        host.With("RateLimits:Enabled", "false").With("Accounts:Lockout:IpThreshold", "4").With("Accounts:Lockout:AccountThreshold", "100");
}

/// <summary>Failures from one address over many e-mails lock the address, not the accounts.</summary>
public sealed class IpLockoutTests(IpLockoutHostFixture fixture) : IClassFixture<IpLockoutHostFixture>, IDisposable
{
    private readonly ApiTestHost _host = fixture.Host;
    private readonly HttpClient _http = fixture.Host.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Failures_over_many_emails_lock_the_ip_with_429_while_other_ips_sign_in()
    {
        const string attacker = "198.51.100.10";
        var victim = NewEmail();
        await SignUpAsync(_http, victim);

        for (var i = 0; i < 4; i++)
        {
            using var failure = await LoginFromAsync(_http, attacker, NewEmail("sprayed"), "Senha-errada-1");
            Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        }

        using var blocked = await LoginFromAsync(_http, attacker, victim, Password);
        using var elsewhere = await LoginFromAsync(_http, "198.51.100.11", victim, Password);

        await AssertProblemAsync(blocked, HttpStatusCode.TooManyRequests);
        Assert.InRange(RetryAfterSeconds(blocked), 50, 60);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        Assert.Equal("locked_out", await _host.Database.ScalarAsync<string>(
            "select failure_reason from login_attempts where email = $1 and ip_address = $2::inet", victim, attacker));
    }
}
