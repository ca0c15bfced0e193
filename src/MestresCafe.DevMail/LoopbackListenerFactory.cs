using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;

namespace MestresCafe.DevMail;

/// <summary>
/// The SMTP server's listener with Nagle's algorithm off on every connection. SMTP is a dialogue of
/// short lines: with Nagle on, a reply written while the previous one is not yet acknowledged waits
/// for the peer's delayed acknowledgement (40 ms on Linux), which capped a sender at a few dozen
/// messages a second however fast both ends were. Plain connections only (the dev-mail server
/// offers no STARTTLS).
/// </summary>
internal sealed class LoopbackListenerFactory : EndpointListenerFactory
{
    public override IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
    {
        var listener = new TcpListener(endpointDefinition.Endpoint);
        listener.Start();
        var started = new EndpointEventArgs(endpointDefinition, listener.LocalEndpoint);
        OnEndpointStarted(started);
        return new Listener(listener, () => OnEndpointStopped(started));
    }

    private sealed class Listener(TcpListener listener, Action stopped) : IEndpointListener
    {
        public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
        {
            var client = await listener.AcceptTcpClientAsync(cancellationToken);
            client.NoDelay = true;
            context.Properties.Add(EndpointListener.LocalEndPointKey, listener.LocalEndpoint);
            context.Properties.Add(EndpointListener.RemoteEndPointKey, client.Client.RemoteEndPoint);
            return new PlainPipe(client);
        }

        public void Dispose()
        {
            listener.Stop();
            stopped();
        }
    }

    private sealed class PlainPipe(TcpClient client) : ISecurableDuplexPipe
    {
        private readonly NetworkStream _stream = client.GetStream();

        public PipeReader Input { get; } = PipeReader.Create(client.GetStream());

        public PipeWriter Output { get; } = PipeWriter.Create(client.GetStream());

        public bool IsSecure => false;

        public SslProtocols SslProtocol => SslProtocols.None;

        public Task UpgradeAsync(X509Certificate certificate, SslProtocols protocols, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The dev-mail server offers no TLS.");

        public void Dispose()
        {
            _stream.Dispose();
            client.Dispose();
        }
    }
}
