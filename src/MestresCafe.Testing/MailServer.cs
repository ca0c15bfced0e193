using MestresCafe.DevMail;
using MimeKit;

namespace MestresCafe.Testing;

/// <summary>
/// A real SMTP server on loopback for one test class (the dev-mail server, in process), with a
/// maildir of its own: the server under test sends to it over SMTP and the test reads back what was
/// delivered. It can be stopped and started again on the same port (the relay going down and up).
/// </summary>
public sealed class MailServer : IAsyncDisposable
{
    private readonly string _maildir = Path.Combine(Path.GetTempPath(), "mc-mail-" + Guid.NewGuid().ToString("N")[..10]);
    private DevMailServer? _server;

    public int Port { get; private set; }

    /// <summary>The settings that point a server's mail sender at this one, polling and retrying quickly.</summary>
    public IReadOnlyDictionary<string, string> SenderSettings => new Dictionary<string, string>
    {
        ["Mail:Smtp:Host"] = "127.0.0.1",
        ["Mail:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Smtp:Security"] = "None",
        // Long enough that a send on a machine at load 40 neither times out nor outlives its claim:
        // either would hand the message to another attempt while the server may have taken it (an
        // SMTP reply lost to a timeout leaves the outcome unknown), and the tests count deliveries.
        ["Mail:Smtp:Timeout"] = "00:00:20",
        ["Mail:Lease"] = "00:01:00",
        ["Mail:PollInterval"] = "00:00:00.100",
        ["Mail:RetryFirstDelay"] = "00:00:00.100",
        ["Mail:RetryMaxDelay"] = "00:00:00.500",
    };

    public static async Task<MailServer> StartAsync()
    {
        var mail = new MailServer();
        await mail.StartAgainAsync();
        return mail;
    }

    /// <summary>Starts listening (again, on the same port once it had one).</summary>
    public async Task StartAgainAsync()
    {
        _server = await DevMailServer.StartAsync(Port, _maildir);
        Port = _server.Port;
    }

    /// <summary>Stops listening: the relay is down.</summary>
    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    /// <summary>Every message delivered so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        new Maildir(_maildir).Messages().Select(file => MimeMessage.Load(file)).ToList();

    /// <summary>The messages delivered to <paramref name="recipient"/>.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string recipient) =>
        Messages().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, recipient, StringComparison.OrdinalIgnoreCase))).ToList();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_maildir))
        {
            Directory.Delete(_maildir, recursive: true);
        }
    }
}
