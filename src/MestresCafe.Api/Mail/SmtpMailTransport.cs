using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MestresCafe.Api.Mail;

/// <summary>Connections to the SMTP relay of <see cref="MailOptions.Smtp"/> (MailKit): one per batch of messages.</summary>
public sealed class SmtpMailTransport(IOptions<MailOptions> options)
{
    public async Task<SmtpSession> OpenAsync(CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Mail:Smtp:Host is not set."), smtp.Port, smtp.Security switch
            {
                SmtpSecurity.None => SecureSocketOptions.None,
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                _ => SecureSocketOptions.StartTls,
            }, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
            }

            return new SmtpSession(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}

/// <summary>An open SMTP connection; sending returns the server's reply to the message.</summary>
public sealed class SmtpSession(SmtpClient client) : IAsyncDisposable
{
    public Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken) => client.SendAsync(message, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true);
            }
        }
        catch (Exception)
        {
            // Saying goodbye to a relay that already went away changes nothing that was sent.
        }
        finally
        {
            client.Dispose();
        }
    }
}
