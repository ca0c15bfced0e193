using System.ComponentModel.DataAnnotations;
using MestresCafe.Data.Mail;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Api.Mail;

/// <summary>How a channel's sender works the queue of outbound_messages (the same keys under <c>Mail:*</c> and <c>TextMessages:*</c>).</summary>
public abstract class OutboxSenderOptions
{
    /// <summary>How often an idle sender looks for due messages.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// Batches a server sends at once, each claimed on its own and sent over its own connection: a
    /// send is mostly waiting for the relay's replies, so a few in parallel multiply a server's rate
    /// without more CPU. A relay's limit on simultaneous connections caps it.
    /// </summary>
    [Range(1, 32)]
    public int Connections { get; set; } = 1;

    /// <summary>How long a claim holds a message; a server that died is replaced after this. Longer than a batch's sends.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The wait after the first failed attempt, doubled after each further one up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryFirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Attempts before a message that keeps failing for a passing reason is given up (about a day with the defaults).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 30;

    /// <summary>The wait before the next attempt after <paramref name="attempts"/> failed ones (<see cref="MailDeliveryPolicy.Backoff"/>).</summary>
    public TimeSpan Backoff(int attempts) => MailDeliveryPolicy.Backoff(attempts, RetryFirstDelay, RetryMaxDelay, Random.Shared.NextDouble());
}

/// <summary>
/// The loop every channel's sender runs on every server, <see cref="OutboxSenderOptions.Connections"/>
/// times at once: send a batch of due messages, and when the queue had fewer than a batch, wait the
/// poll interval. The loops share nothing but the queue, whose claims keep them apart as they keep
/// servers apart. A database outage is logged and the loop goes on (the queue is where it was).
/// </summary>
public abstract partial class OutboxSender(ILogger logger) : BackgroundService
{
    protected abstract OutboxSenderOptions Settings { get; }

    /// <summary>The channel's name in the log.</summary>
    protected abstract string Channel { get; }

    /// <summary>Whether this server sends this channel at all (false: messages wait for a server that does).</summary>
    protected abstract bool Runs();

    /// <summary>Sends one batch of due messages; how many were claimed.</summary>
    public abstract Task<int> SendDueAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Runs())
        {
            return;
        }

        await Task.WhenAll(Enumerable.Range(0, Settings.Connections).Select(_ => Task.Run(() => SendWhileRunningAsync(stoppingToken), CancellationToken.None)));
    }

    private async Task SendWhileRunningAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await SendDueAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogQueueUnavailable(logger, error, Channel);
            }

            if (claimed < Settings.BatchSize)
            {
                try
                {
                    await Task.Delay(Settings.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Channel} queue could not be read; trying again.")]
    private static partial void LogQueueUnavailable(ILogger logger, Exception error, string channel);
}
