using System.Diagnostics;
using MestresCafe.Testing;
using Xunit.Abstractions;

namespace MestresCafe.Api.Tests.Marketing;

/// <summary>
/// The campaign guarantee end to end: two real server processes (one cluster, one database) send a
/// newsletter campaign to thousands of generated subscribers through a real SMTP server, one of
/// them is killed (SIGKILL) mid-send, and every recipient still gets the campaign exactly once.
/// </summary>
public sealed class CampaignAcrossServersTests(ITestOutputHelper output)
{
    private const int BatchSize = 20;
    private const int Connections = 4;

    [Fact]
    public async Task A_campaign_sent_by_two_servers_with_one_killed_mid_send_reaches_each_recipient_exactly_once()
    {
        // The 5,000 (about 30 s of sending at load 40 on two cores, docs/BENCHMARKS.md);
        // MC_CAMPAIGN_KILL_RECIPIENTS changes it.
        var count = int.TryParse(Environment.GetEnvironmentVariable("MC_CAMPAIGN_KILL_RECIPIENTS"), out var n) ? n : 5000;
        // Bounds from a rate twenty times below the slowest measured one (160 recipients/s for both
        // servers at load 40): only a sender that stopped fails them, never a busy machine.
        const double SlowestRate = 8;
        await using var database = await TestDatabase.CreateMigratedAsync(nameof(CampaignAcrossServersTests));
        await using var mail = await MailServer.StartAsync();
        var cluster = "camp-" + Guid.NewGuid().ToString("N")[..8];
        var settings = mail.SenderSettings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        settings["Mail__BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Mail__Connections"] = Connections.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A short lease (twice the SMTP timeout, longer than a batch's sends): the killed server's
        // claimed messages go to the survivor within seconds.
        settings["Mail__Smtp__Timeout"] = "00:00:02";
        settings["Mail__Lease"] = "00:00:05";
        settings["Marketing__DispatchEvery"] = "00:00:00.050";
        settings["Redis__KeyPrefix"] = $"test:{cluster}:";
        settings["Logging__LogLevel__Default"] = "Warning";
        var started = await Task.WhenAll(
            ServerProcess.StartAsync(database.ConnectionString, cluster, settings: settings),
            ServerProcess.StartAsync(database.ConnectionString, cluster, settings: settings));
        await using var doomed = started[0];
        await using var survivor = started[1];

        var campaign = await database.ScalarAsync<long>(
            """
            with subscribers as (
                insert into newsletter_subscriptions (email, status, subscribed_at, preferences)
                select 'destino-' || i || '@example.com.br', 'subscribed', now(), '{"topics": ["cursos"]}'::jsonb
                from generate_series(1, $1) i
            )
            insert into campaigns (name, type, status, start_date, template, audience, newsletter_topic, send_rate)
            values ('Curso de torra em dois servidores', 'email', 'scheduled', now(), 'campaign_novidades', 'newsletter', 'cursos', 10000)
            returning id
            """, count);
        var clock = Stopwatch.StartNew();

        // Kill one server once a quarter of the campaign reached the relay: both are sending then.
        Assert.True(await Eventually.TrueAsync(async () => await SentAsync(database, campaign) >= count / 4, TimeSpan.FromSeconds(60 + (count / 4 / SlowestRate)), TimeSpan.FromMilliseconds(50)),
            "a quarter of the campaign sent\n" + doomed.WarningsAndErrors() + survivor.WarningsAndErrors());
        doomed.Kill();
        var killedAt = await SentAsync(database, campaign);

        Assert.True(await Eventually.TrueAsync(async () => await SentAsync(database, campaign) == count, TimeSpan.FromSeconds(60 + (count / SlowestRate)), TimeSpan.FromMilliseconds(100)),
            $"all {count} sent by the survivor\n" + survivor.WarningsAndErrors());
        var elapsed = clock.Elapsed;

        var expected = (await database.ScalarAsync<Guid[]>("select array_agg(message_id) from campaign_recipients where campaign_id = $1", campaign))
            .Select(m => m.ToString("N")).ToHashSet();
        Assert.Equal(count, expected.Count);
        var delivered = mail.Messages()
            .Select(m => (Id: (m.MessageId ?? "")[..Math.Max(0, (m.MessageId ?? "").IndexOf('@'))], To: m.To.Mailboxes.Single().Address))
            .ToList();
        var perRecipient = delivered.GroupBy(d => d.To).ToDictionary(g => g.Key, g => g.Select(d => d.Id).Distinct().ToList());
        var repeats = delivered.Count - delivered.Select(d => d.Id).Distinct().Count();
        output.WriteLine($"{count} recipients, one of two servers killed at {killedAt} sent: all sent in {elapsed.TotalSeconds:F1} s "
            + $"({count / elapsed.TotalSeconds:F0}/s); {repeats} relay repeat(s) of a message already accepted");

        // Each recipient got one message, the campaign's own (its Message-ID is the recipient's message id)...
        Assert.Equal(count, perRecipient.Count);
        Assert.All(perRecipient, r => Assert.Single(r.Value));
        Assert.True(expected.SetEquals(perRecipient.Values.Select(ids => ids[0])));
        // ...and a relay repeat (the killed server died after the relay accepted a message and before
        // recording it) carries the same Message-ID, and is bounded by what it held in flight (a
        // batch per connection).
        Assert.InRange(repeats, 0, BatchSize * Connections);
        Assert.Equal("completed", await database.ScalarAsync<string>("select status from campaigns where id = $1", campaign));
        Assert.Equal(count, await database.ScalarAsync<long>(
            "select count(*) from campaign_recipients r join outbound_messages m on m.message_id = r.message_id where r.campaign_id = $1 and m.status = 'sent'", campaign));
    }

    private static Task<long> SentAsync(TestDatabase database, long campaign) =>
        database.ScalarAsync<long>(
            "select count(*) from campaign_recipients r join outbound_messages m on m.message_id = r.message_id where r.campaign_id = $1 and m.status = 'sent'",
            campaign);
}
