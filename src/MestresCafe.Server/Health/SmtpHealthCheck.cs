using MestresCafe.Api.Mail;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MestresCafe.Server.Health;

/// <summary>
/// The SMTP relay answers a connection (and the login, when one is configured). Degraded, never
/// unhealthy: messages wait in outbound_messages until it is back. A server that sends no mail
/// says so as degraded too, so that a missing relay is seen on the health page.
/// </summary>
internal sealed class SmtpHealthCheck(SmtpMailTransport transport, IOptions<MailOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var mail = options.Value;
        if (!mail.Enabled || string.IsNullOrWhiteSpace(mail.Smtp.Host))
        {
            return HealthCheckResult.Degraded("no SMTP relay configured: mail waits in outbound_messages");
        }

        var data = new Dictionary<string, object> { ["host"] = mail.Smtp.Host, ["port"] = mail.Smtp.Port };
        try
        {
            await using var session = await transport.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy("the relay accepted a connection", data);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"the relay is unreachable: {error.Message}", error, data);
        }
    }
}
