using System.Globalization;
using MestresCafe.DevMail;

// dotnet MestresCafe.DevMail.dll --port 52525 --maildir .data/mail
// Listens on 127.0.0.1 only and runs until stopped (SIGTERM or Ctrl+C).
var port = 52525;
var maildir = Path.Combine(Environment.CurrentDirectory, "mail");
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port": port = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--maildir": maildir = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}; usage: --port N --maildir DIR"); return 2;
    }
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

await using var server = await DevMailServer.StartAsync(port, maildir);
Console.WriteLine($"dev-mail: SMTP on 127.0.0.1:{server.Port}, messages in {Path.GetFullPath(maildir)}/new");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
