using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MestresCafe.Api.Mail;

/// <summary>
/// Connections to the SMTP relay of <see cref="MailOptions.Smtp"/> (MailKit): one per batch of
/// messages. The socket is opened here with Nagle's algorithm off: a message goes out as a few
/// writes (the body in buffer-sized pieces, then the final dot), and with Nagle on each piece after
/// the first waits for the relay's delayed acknowledgement (40 ms on Linux), which held a sender to
/// about twenty messages a second whatever the CPU did.
/// </summary>
public sealed class SmtpMailTransport(IOptions<MailOptions> options)
{
    public async Task<SmtpSession> OpenAsync(CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        var host = smtp.Host ?? throw new InvalidOperationException("Mail:Smtp:Host is not set.");
        var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connecting.CancelAfter(smtp.Timeout);
                try
                {
                    await socket.ConnectAsync(host, smtp.Port, connecting.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"No connection to {host}:{smtp.Port} within {smtp.Timeout}.");
                }
            }

            // MailKit owns the socket from here (closing the client closes it).
            await client.ConnectAsync(socket, host, smtp.Port, smtp.Security switch
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
            socket.Dispose();
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
