using System.Text.Json;
using Dapper;
using MestresCafe.Data.Audit;
using MestresCafe.Marketing;
using MestresCafe.Privacy;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>A newsletter_subscriptions row as the API shows it.</summary>
public sealed record NewsletterSubscription
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string Status { get; init; } = "";
    public JsonElement Preferences { get; init; }
    public DateTimeOffset? SubscribedAt { get; init; }
    public DateTimeOffset? UnsubscribedAt { get; init; }
    public string? UnsubscribeReason { get; init; }
    public string Source { get; init; } = "";

    /// <summary>The topics chosen; empty means every topic.</summary>
    public IReadOnlyList<string> Topics =>
        Preferences.ValueKind == JsonValueKind.Object && Preferences.TryGetProperty("topics", out var topics) && topics.ValueKind == JsonValueKind.Array
            ? topics.EnumerateArray().Select(t => t.GetString() ?? "").ToList()
            : [];
}

/// <summary>Whom an unsubscribe or preferences link speaks for: an account (by user id) or a newsletter-only address (by subscription id).</summary>
public sealed record NewsletterSubject(long? UserId, long? SubscriptionId);

public enum SignUpOutcome
{
    /// <summary>A confirmation e-mail is queued.</summary>
    ConfirmationQueued,
    /// <summary>The address is subscribed already: nothing is sent.</summary>
    AlreadySubscribed,
    /// <summary>A confirmation went to this address a moment ago: no second one (a form resubmitted, or someone flooding a stranger's inbox).</summary>
    RecentlyAsked,
}

public enum ConfirmOutcome
{
    Subscribed,
    /// <summary>The address unsubscribed after the link was issued: an old link does not subscribe it again.</summary>
    Stale,
}

/// <summary>
/// The newsletter: sign-up with double opt-in, confirmation, topic preferences and unsubscribe, each
/// in one transaction with its audit row. An address that is an account's follows the account's
/// e-mail marketing consent: confirming grants it (source newsletter_form), unsubscribing withdraws
/// it (source unsubscribe_link), in the same transaction; the other way round is
/// <see cref="Privacy.MarketingConsentStore"/>'s. Both lock the users row first, so they serialize.
/// </summary>
public sealed class NewsletterStore(NpgsqlDataSource dataSource)
{
    public const string ConfirmationTemplate = "newsletter_confirmation";

    internal const string Columns = "id, email, status, preferences, subscribed_at, unsubscribed_at, unsubscribe_reason, source";

    /// <summary>How long a second sign-up of one address waits before it gets a second confirmation.</summary>
    public static readonly TimeSpan ConfirmationSpacing = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Records a sign-up (pending when the address is new; an unsubscribed address stays so until it
    /// confirms) and queues the confirmation e-mail carrying <paramref name="sealedLink"/>.
    /// </summary>
    public async Task<SignUpOutcome> SignUpAsync(string email, string source, string sealedLink, int hours, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into newsletter_subscriptions (email, status, source) values (@email, 'pending', @source) on conflict (email) do nothing",
            new { email, source }, transaction, cancellationToken: cancellationToken));
        var status = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "select status from newsletter_subscriptions where email = @email for update", new { email }, transaction, cancellationToken: cancellationToken));
        if (status == "subscribed")
        {
            await transaction.CommitAsync(cancellationToken);
            return SignUpOutcome.AlreadySubscribed;
        }

        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                select exists (select 1 from outbound_messages
                               where recipient = @email and template = @template and created_at > now() - @spacing)
                """,
                new { email, template = ConfirmationTemplate, spacing = ConfirmationSpacing }, transaction, cancellationToken: cancellationToken)))
        {
            await transaction.CommitAsync(cancellationToken);
            return SignUpOutcome.RecentlyAsked;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into outbound_messages (message_id, template, user_id, recipient, data)
            values (gen_random_uuid(), @template, (select id from users where email = @email), @email,
                    jsonb_build_object('sealed_link', @sealedLink::text, 'hours', @hours))
            """,
            new { email, template = ConfirmationTemplate, sealedLink, hours }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return SignUpOutcome.ConfirmationQueued;
    }

    /// <summary>Subscribes the address confirmed by a link issued at <paramref name="issuedAt"/>, with its topics; grants the account's consent.</summary>
    public async Task<(ConfirmOutcome Outcome, NewsletterSubscription? Subscription)> ConfirmAsync(
        string email, IReadOnlyList<string> topics, string source, DateTimeOffset issuedAt, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var userId = await LockUserAsync(connection, transaction, email, cancellationToken);
        var before = await GetAsync(connection, transaction, email, lockRow: true, cancellationToken);
        if (before is { Status: "unsubscribed" or "bounced" or "complained", UnsubscribedAt: { } left } && left > issuedAt)
        {
            return (ConfirmOutcome.Stale, before);
        }

        var after = await connection.QuerySingleAsync<NewsletterSubscription>(new CommandDefinition(
            $"""
            insert into newsletter_subscriptions (email, status, subscribed_at, preferences, source, metadata)
            values (@email, 'subscribed', now(), jsonb_build_object('topics', to_jsonb(@topics::text[])), @source,
                    jsonb_build_object('confirmed_at', now()))
            on conflict (email) do update
            set status = 'subscribed',
                subscribed_at = case when newsletter_subscriptions.status = 'subscribed' then newsletter_subscriptions.subscribed_at else now() end,
                unsubscribed_at = null, unsubscribe_reason = null,
                preferences = newsletter_subscriptions.preferences || excluded.preferences,
                metadata = newsletter_subscriptions.metadata || excluded.metadata
            returning {Columns}
            """,
            new { email, topics = topics.ToArray(), source }, transaction, cancellationToken: cancellationToken));
        if (userId is not null)
        {
            await RecordConsentAsync(connection, transaction, userId.Value, granted: true, MarketingConsent.NewsletterForm, actor, cancellationToken);
        }

        if (before?.Status != "subscribed")
        {
            await AuditTrail.WriteAsync(connection, transaction,
                new AuditEntry("newsletter.confirm", "newsletter_subscriptions", after.Id, Image(before), Image(after)), actor, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (ConfirmOutcome.Subscribed, after);
    }

    /// <summary>The address a link speaks for; null when the account or subscription is gone.</summary>
    public async Task<string?> EmailOfAsync(NewsletterSubject subject, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            """
            select email from users where id = @UserId
            union all
            select email from newsletter_subscriptions where id = @SubscriptionId
            limit 1
            """, subject, cancellationToken: cancellationToken));
    }

    public async Task<NewsletterSubscription?> GetAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, null, email, lockRow: false, cancellationToken);
    }

    /// <summary>Replaces the topics of a subscribed (or pending) address; null when it has no subscription to change.</summary>
    public async Task<NewsletterSubscription?> SetTopicsAsync(string email, IReadOnlyList<string> topics, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await GetAsync(connection, transaction, email, lockRow: true, cancellationToken);
        if (before is null || before.Status is not ("subscribed" or "pending"))
        {
            return null;
        }

        var after = await connection.QuerySingleAsync<NewsletterSubscription>(new CommandDefinition(
            $"""
            update newsletter_subscriptions set preferences = preferences || jsonb_build_object('topics', to_jsonb(@topics::text[]))
            where email = @email returning {Columns}
            """, new { email, topics = topics.ToArray() }, transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("newsletter.preferences", "newsletter_subscriptions", after.Id, Image(before), Image(after)), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    /// <summary>
    /// Unsubscribes the address from all marketing (idempotent): the newsletter row (created
    /// unsubscribed when there was none, so audiences skip the address), the account's consent
    /// withdrawn, and the campaign recipient whose link it was counted. A reason given after a
    /// one-click unsubscribe replaces "one_click".
    /// </summary>
    public async Task<NewsletterSubscription> UnsubscribeAsync(
        string email, string reason, long? campaignRecipientId, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var userId = await LockUserAsync(connection, transaction, email, cancellationToken);
        var before = await GetAsync(connection, transaction, email, lockRow: true, cancellationToken);
        var after = await connection.QuerySingleAsync<NewsletterSubscription>(new CommandDefinition(
            $"""
            insert into newsletter_subscriptions (email, status, unsubscribed_at, unsubscribe_reason, source)
            values (@email, 'unsubscribed', now(), @reason, 'unsubscribe_link')
            on conflict (email) do update
            set status = 'unsubscribed',
                unsubscribed_at = case when newsletter_subscriptions.status = 'unsubscribed' then newsletter_subscriptions.unsubscribed_at else now() end,
                unsubscribe_reason = case when newsletter_subscriptions.status = 'unsubscribed' and @reason = '{UnsubscribeReasons.OneClick}'
                                          then coalesce(newsletter_subscriptions.unsubscribe_reason, @reason) else @reason end
            returning {Columns}
            """, new { email, reason }, transaction, cancellationToken: cancellationToken));
        if (userId is not null)
        {
            await RecordConsentAsync(connection, transaction, userId.Value, granted: false, MarketingConsent.UnsubscribeLink, actor, cancellationToken);
        }

        if (campaignRecipientId is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                update campaign_recipients
                set status = case when status = 'pending' then status else 'unsubscribed' end,
                    unsubscribed_at = coalesce(unsubscribed_at, now())
                where id = @campaignRecipientId and email = @email
                """, new { campaignRecipientId, email }, transaction, cancellationToken: cancellationToken));
        }

        if (before?.Status != after.Status || before?.UnsubscribeReason != after.UnsubscribeReason)
        {
            await AuditTrail.WriteAsync(connection, transaction,
                new AuditEntry("newsletter.unsubscribe", "newsletter_subscriptions", after.Id, Image(before), Image(after)), actor, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    /// <summary>The account of the address, its row locked (the consent's serialization point, as in MarketingConsentStore); null when none.</summary>
    internal static Task<long?> LockUserAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string email, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "select id from users where email = @email for update", new { email }, transaction, cancellationToken: cancellationToken));

    /// <summary>Appends a consent row when the current answer differs (the history records changes only).</summary>
    internal static async Task RecordConsentAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, bool granted, string source, AuditActor actor, CancellationToken cancellationToken)
    {
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into marketing_consents (user_id, purpose, granted, source, ip_address, user_agent)
            select @userId, 'email_marketing', @granted, @source, @Ip, @UserAgent
            where coalesce((select granted from marketing_consents
                            where user_id = @userId and purpose = 'email_marketing'
                            order by recorded_at desc, id desc limit 1), false) <> @granted
               or not exists (select 1 from marketing_consents where user_id = @userId and purpose = 'email_marketing')
            """, new { userId, granted, source, actor.Ip, actor.UserAgent }, transaction, cancellationToken: cancellationToken));
        if (changed > 0)
        {
            await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("consent.change", "users", userId,
                null, new { source, consents = new Dictionary<string, bool> { [MarketingConsent.EmailMarketing] = granted } }), actor, cancellationToken);
        }
    }

    internal static Task<NewsletterSubscription?> GetAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string email, bool lockRow, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<NewsletterSubscription>(new CommandDefinition(
            $"select {Columns} from newsletter_subscriptions where email = @email{(lockRow ? " for update" : "")}",
            new { email }, transaction, cancellationToken: cancellationToken));

    internal static object? Image(NewsletterSubscription? row) =>
        // No e-mail in the audit row: the record id points at it, and an erasure then leaves nothing behind here.
        row is null ? null : new { row.Status, row.Topics, row.UnsubscribeReason };
}
