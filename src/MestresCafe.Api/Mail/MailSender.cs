using MestresCafe.Data.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Mail;

/// <summary>
/// The background sender every server runs: claims due messages from outbound_messages (see
/// <see cref="MailOutboxStore"/> for why a lease in SQL), sends them over one SMTP connection per
/// batch and records each outcome. A message is marked sent right after the relay accepted it; the
/// only window for a repeat is a server dying between the relay's reply and that update (then the
/// lease lapses and another server sends it again, with the same Message-ID).
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

    /// <summary>Sends one batch of due messages; how many were claimed.</summary>
    public override async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var mail = options.Value;
        var claimed = await outbox.ClaimAsync(mail.BatchSize, mail.Lease, cancellationToken);
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

                var message = claimed[i];
                ComposedMail composed;
                try
                {
                    composed = await composer.ComposeAsync(message, cancellationToken);
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

                await MarkSentAsync(message, composed, reply);
                MailMetrics.Sent();
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }

        return claimed.Count;
    }

    /// <summary>
    /// The relay has the message: recording it is what keeps it from going again, so a database
    /// hiccup here is retried a few times before the lease is left to lapse.
    /// </summary>
    private async Task MarkSentAsync(ClaimedMessage message, ComposedMail composed, string reply)
    {
        var sent = new SentMessage(composed.Recorded.Subject, composed.Recorded.Html, composed.Recorded.Text, reply, composed.CommunicationType)
        {
            Notice = composed.Notice,
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!await outbox.MarkSentAsync(message, sent, CancellationToken.None))
                {
                    LogLeaseLost(logger, message.MessageId);
                }

                return;
            }
            catch (Exception error) when (attempt < MarkSentTries)
            {
                LogRecordRetry(logger, error, message.MessageId);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording message {MessageId} as sent failed; trying again.")]
    private static partial void LogRecordRetry(ILogger logger, Exception error, Guid messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} ({Template}) failed for good: {Reply}")]
    private static partial void LogFailed(ILogger logger, Guid messageId, string template, string reply);
}
