using Dapper;
using MestresCafe.Data.Audit;
using MestresCafe.Marketing;
using MestresCafe.Privacy;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>
/// A spam complaint as a mailbox provider's feedback report states it: the report's own id, its
/// feedback type, and what it says about the message complained about (our message id, read from
/// its Message-ID, and/or the address it was sent to).
/// </summary>
public sealed record MailComplaint(string FeedbackId, string FeedbackType, Guid? MessageId, string? Recipient, string? ReportedBy, DateTimeOffset? ArrivedAt);

/// <summary>What a report did.</summary>
public enum MailComplaintOutcome
{
    /// <summary>Recorded; the address gets no more marketing.</summary>
    Applied,
    /// <summary>About no message or address of ours: nothing written.</summary>
    Unknown,
    /// <summary>This report, or one about the same message, was recorded before: nothing changed.</summary>
    Duplicate,
    /// <summary>A feedback report of another type than a complaint (not-spam, virus, ...): nothing written.</summary>
    Ignored,
}

/// <summary>
/// Records spam complaints, each once, and in the same transaction ends marketing to the address
/// the way an unsubscribe does (<see cref="NewsletterStore.UnsubscribeAsync"/>): the newsletter row
/// becomes 'complained', the account's e-mail marketing consent is withdrawn (source complaint) and
/// the campaign recipient whose message it was is counted as complained. The address is the one
/// our message went to when the report names our message, else the one the report gives.
/// </summary>
public sealed class MailComplaintStore(NpgsqlDataSource dataSource)
{
    public async Task<MailComplaintOutcome> RecordAsync(MailComplaint complaint, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var messageRecipient = complaint.MessageId is { } messageId
            ? await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "select recipient from outbound_messages where message_id = @messageId and channel = 'email'",
                new { messageId }, transaction, cancellationToken: cancellationToken))
            : null;
        if ((messageRecipient ?? complaint.Recipient)?.Trim().ToLowerInvariant() is not { Length: > 0 } email)
        {
            return MailComplaintOutcome.Unknown;
        }

        var userId = await NewsletterStore.LockUserAsync(connection, transaction, email, cancellationToken);
        var before = await NewsletterStore.GetAsync(connection, transaction, email, lockRow: true, cancellationToken);
        if (messageRecipient is null && userId is null && before is null)
        {
            return MailComplaintOutcome.Unknown;
        }

        // After the locks, so that a simultaneous delivery of the same report waits on the unique keys and then finds it.
        var complaintId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into mail_complaints (feedback_id, message_id, feedback_type, reported_by, arrived_at)
            values (@FeedbackId, @messageId, @FeedbackType, left(@ReportedBy, 200), @ArrivedAt)
            on conflict do nothing
            returning id
            """,
            new { complaint.FeedbackId, messageId = messageRecipient is null ? null : complaint.MessageId, complaint.FeedbackType, complaint.ReportedBy, complaint.ArrivedAt },
            transaction, cancellationToken: cancellationToken));
        if (complaintId is null)
        {
            return MailComplaintOutcome.Duplicate;
        }

        var after = await connection.QuerySingleAsync<NewsletterSubscription>(new CommandDefinition(
            $"""
            insert into newsletter_subscriptions (email, status, unsubscribed_at, unsubscribe_reason, source)
            values (@email, 'complained', now(), @reason, @reason)
            on conflict (email) do update
            set status = 'complained', unsubscribed_at = now(), unsubscribe_reason = @reason
            returning {NewsletterStore.Columns}
            """, new { email, reason = UnsubscribeReasons.Complaint }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "update mail_complaints set subscription_id = @subscriptionId where id = @complaintId",
            new { subscriptionId = after.Id, complaintId }, transaction, cancellationToken: cancellationToken));
        if (userId is not null)
        {
            await NewsletterStore.RecordConsentAsync(connection, transaction, userId.Value, granted: false, MarketingConsent.Complaint, actor, cancellationToken);
        }

        if (messageRecipient is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                update campaign_recipients
                set status = 'complained', complained_at = coalesce(complained_at, now())
                where message_id = @MessageId
                """, new { complaint.MessageId }, transaction, cancellationToken: cancellationToken));
        }

        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("newsletter.complaint", "newsletter_subscriptions", after.Id, NewsletterStore.Image(before), NewsletterStore.Image(after)), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return MailComplaintOutcome.Applied;
    }
}
