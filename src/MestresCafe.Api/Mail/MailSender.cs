using System.Diagnostics;
using MestresCafe.Data.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Mail;

/// <summary>
/// The background sender every server runs: claims due messages from outbound_messages (see
/// <see cref="MailOutboxStore"/> for why a lease in SQL), sends them over one SMTP connection per
/// batch and records the outcomes (<see cref="SendDueAsync"/>). Messages are marked sent as soon as
/// the previous record finished after the relay accepted them; the only window for a repeat is a
/// server dying between the relay's reply and that update (then the lease lapses and another server
/// sends them again, with the same Message-IDs).
/// </summary>
public sealed partial class MailSender(
    MailOutboxStore outbox, MailComposer composer, SmtpMailTransport transport, IOptions<MailOptions> options, ILogger<MailSender> logger)
    : OutboxSender(logger)
{
    private const int MarkSentTries = 5;

    protected override OutboxSenderOptions Settings => options.Value;

    protected override string Channel => "mail";

    protected override bool Runs()
    {
        if (options.Value.Enabled && !string.IsNullOrWhiteSpace(options.Value.Smtp.Host))
        {
            return true;
        }

        LogNoSender(logger);
        return false;
    }

    /// <summary>
    /// Sends one batch of due messages over one SMTP connection, each template read once; how many
    /// were claimed. Outcomes are recorded as a group commit: while one statement records the
    /// messages accepted so far, the next ones are sent, and the following statement records all
    /// that were accepted meanwhile. The relay never waits on the database, and a crash repeats
    /// only the few messages accepted during the last record's round trip (with their Message-IDs),
    /// as it repeated the one message in that window before.
    /// </summary>
    public override async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var mail = options.Value;
        var claimed = await outbox.ClaimAsync(mail.BatchSize, mail.Lease, cancellationToken);
        // A send starts only while the claim has at least one SMTP timeout left: a batch slower than
        // its lease (a loaded machine, a slow relay) would otherwise send messages another server has
        // claimed again since.
        var sendUntil = Stopwatch.GetTimestamp() + (long)((mail.Lease - mail.Smtp.Timeout).TotalSeconds * Stopwatch.Frequency);
        var templatesRead = new Dictionary<string, MailTemplateSet>(StringComparer.Ordinal);
        var accepted = new List<SentOutcome>();
        var recording = Task.CompletedTask;
        SmtpSession? session = null;
        try
        {
            for (var i = 0; i < claimed.Count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    // Stopping: the rest go back to the queue now rather than when their lease lapses.
                    await ReleaseAsync(claimed.Skip(i), TimeSpan.Zero, "the server stopped before sending", null);
                    break;
                }

                if (Stopwatch.GetTimestamp() > sendUntil)
                {
                    await ReleaseAsync(claimed.Skip(i), TimeSpan.Zero, "the batch outlasted its claim before this message", null);
                    break;
                }

                var message = claimed[i];
                ComposedMail composed;
                try
                {
                    composed = await composer.ComposeAsync(message, templatesRead, cancellationToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    await FailAsync(message, error);
                    continue;
                }

                try
                {
                    session ??= await transport.OpenAsync(cancellationToken);
                }
                catch (Exception error)
                {
                    // The relay is unreachable: no point trying the others in this batch.
                    LogRelayUnavailable(logger, error);
                    await ReleaseAsync(claimed.Skip(i), Backoff(message.Attempts), error.Message, MailDeliveryPolicy.Reply(error));
                    break;
                }

                string reply;
                try
                {
                    reply = await session.SendAsync(composed.Mime, cancellationToken);
                }
                catch (Exception error)
                {
                    await FailAsync(message, error);
                    // A reply that refused this message leaves the connection usable; anything else may not have.
                    if (error is not MailKit.Net.Smtp.SmtpCommandException)
                    {
                        await session.DisposeAsync();
                        session = null;
                    }

                    continue;
                }

                accepted.Add(new SentOutcome(message, Kept(composed, reply)));
                if (recording.IsCompleted)
                {
                    await recording;
                    recording = RecordSentAsync(accepted);
                    accepted = [];
                }
            }
        }
        finally
        {
            try
            {
                await recording;
                await RecordSentAsync(accepted);
            }
            finally
            {
                if (session is not null)
                {
                    await session.DisposeAsync();
                }
            }
        }

        return claimed.Count;
    }

    private static SentMessage Kept(ComposedMail composed, string reply) =>
        new(composed.Recorded.Subject, composed.Recorded.Html, composed.Recorded.Text, reply, composed.CommunicationType) { Notice = composed.Notice };

    /// <summary>
    /// The relay has these messages: recording them is what keeps them from going again, so a
    /// database hiccup here is retried a few times before the leases are left to lapse.
    /// </summary>
    private async Task RecordSentAsync(List<SentOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var recorded = await outbox.MarkSentAsync(outcomes, CancellationToken.None);
                foreach (var outcome in outcomes)
                {
                    if (recorded.Contains(outcome.Message.Id))
                    {
                        MailMetrics.Sent();
                    }
                    else
                    {
                        LogLeaseLost(logger, outcome.Message.MessageId);
                    }
                }

                return;
            }
            catch (Exception error) when (attempt < MarkSentTries)
            {
                LogRecordRetry(logger, error, outcomes.Count);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }

    private async Task FailAsync(ClaimedMessage message, Exception error)
    {
        var reply = MailDeliveryPolicy.Reply(error);
        if (MailDeliveryPolicy.Classify(error) == MailFailure.Permanent || message.Attempts >= options.Value.MaxAttempts)
        {
            LogFailed(logger, message.MessageId, message.Template, reply ?? error.Message);
            await outbox.MarkFailedAsync(message, error.Message, reply, CancellationToken.None);
            MailMetrics.Failed();
        }
        else
        {
            await outbox.RetryLaterAsync(message, Backoff(message.Attempts), error.Message, reply, CancellationToken.None);
            MailMetrics.Retried();
        }
    }

    private async Task ReleaseAsync(IEnumerable<ClaimedMessage> messages, TimeSpan delay, string error, string? reply)
    {
        foreach (var message in messages)
        {
            await outbox.RetryLaterAsync(message, delay, error, reply, CancellationToken.None);
        }
    }

    private TimeSpan Backoff(int attempts) => options.Value.Backoff(attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No mail is sent by this server (Mail:Enabled is false or Mail:Smtp:Host is empty); messages wait in outbound_messages.")]
    private static partial void LogNoSender(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SMTP relay is unreachable; the batch waits for its next attempt.")]
    private static partial void LogRelayUnavailable(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} was sent after its lease passed to another server.")]
    private static partial void LogLeaseLost(ILogger logger, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Count} messages as sent failed; trying again.")]
    private static partial void LogRecordRetry(ILogger logger, Exception error, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} ({Template}) failed for good: {Reply}")]
    private static partial void LogFailed(ILogger logger, Guid messageId, string template, string reply);
}
