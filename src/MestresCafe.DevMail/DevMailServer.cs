using System.Buffers;
using System.Net;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MestresCafe.DevMail;

/// <summary>
/// A real SMTP server on loopback that keeps every accepted message in a maildir: what the local
/// server and the tests send mail to, so that mail goes over the same protocol as in production and
/// what was delivered can be read back. Recipients at <see cref="RefusedDomain"/> are refused with a
/// permanent 550, so a permanent failure can be seen without a real provider.
/// </summary>
public sealed class DevMailServer : IAsyncDisposable
{
    /// <summary>Mailboxes at this domain are refused (550 mailbox unavailable).</summary>
    public const string RefusedDomain = "recusado.invalid";

    private readonly SmtpServer.SmtpServer _server;
    private readonly TaskCompletionSource<int> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _running;

    private DevMailServer(int port, Maildir maildir)
    {
        Maildir = maildir;
        var options = new SmtpServerOptionsBuilder()
            .ServerName("mestrescafe-devmail")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .MaxMessageSize(10 * 1024 * 1024, MaxMessageSizeHandling.Strict)
            .Build();
        var listeners = new LoopbackListenerFactory();
        listeners.EndpointStarted += (_, args) => _bound.TrySetResult(((IPEndPoint)args.LocalEndPoint).Port);
        var services = new ServiceProvider();
        services.Add(listeners);
        services.Add(new MaildirStore(maildir));
        services.Add(new DelegatingMailboxFilter(
            (_, _) => true,
            (_, to, _) => !string.Equals(to.Host, RefusedDomain, StringComparison.OrdinalIgnoreCase)));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(CancellationToken.None);
        _ = _running.ContinueWith(t => _bound.TrySetException(t.Exception?.InnerException ?? new InvalidOperationException("The SMTP server stopped before it listened.")),
            TaskContinuationOptions.NotOnRanToCompletion);
    }

    public Maildir Maildir { get; }

    /// <summary>The port it listens on (port 0 at the start picks a free one).</summary>
    public int Port { get; private set; }

    /// <summary>Starts listening on 127.0.0.1:<paramref name="port"/> and returns once it accepts connections.</summary>
    public static async Task<DevMailServer> StartAsync(int port, string maildirPath)
    {
        var server = new DevMailServer(port, new Maildir(maildirPath));
        server.Port = await server._bound.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>Stops listening and waits for the sessions in progress to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _server.Shutdown();
        await _server.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed class MaildirStore(Maildir maildir) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await maildir.DeliverAsync(buffer.ToArray(), cancellationToken);
            return SmtpResponse.Ok;
        }
    }
}
