using Dapper;
using MestresCafe.Data.Audit;
using MestresCafe.Privacy;
using Npgsql;

namespace MestresCafe.Data.Privacy;

/// <summary>A purpose's current answer: the latest marketing_consents row, or not asked yet (no row: no consent).</summary>
public sealed record ConsentState
{
    public string Purpose { get; init; } = "";
    public bool Granted { get; init; }
    public string? Source { get; init; }
    public DateTimeOffset? RecordedAt { get; init; }
}

/// <summary>
/// Marketing consents as an append-only history (LGPD art. 8: the controller proves when and how
/// consent was given): a row is added only when an answer changes. E-mail marketing is also the
/// newsletter subscription of the account's e-mail, changed in the same transaction.
/// </summary>
public sealed class MarketingConsentStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ConsentState>> CurrentAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return Complete(await LatestAsync(connection, null, userId, cancellationToken));
    }

    /// <summary>Of <paramref name="userIds"/>, those whose current answer for <paramref name="purpose"/> is granted (one round trip for many).</summary>
    public async Task<IReadOnlySet<long>> GrantedAsync(string purpose, IReadOnlyCollection<long> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return new HashSet<long>();
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            """
            select user_id from (
                select distinct on (user_id) user_id, granted
                from marketing_consents where user_id = any(@userIds) and purpose = @purpose
                order by user_id, recorded_at desc, id desc
            ) latest
            where granted
            """, new { userIds = userIds.ToArray(), purpose }, cancellationToken: cancellationToken))).ToHashSet();
    }

    /// <summary>Records the answers that differ from the current ones; the answers after. Null when the user does not exist.</summary>
    public async Task<IReadOnlyList<ConsentState>?> RecordAsync(
        long userId, IReadOnlyList<(string Purpose, bool Granted)> answers, string source, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The user's row serializes two concurrent changes, so each compares with the other's result.
        var email = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select email from users where id = @userId for update", new { userId }, transaction, cancellationToken: cancellationToken));
        if (email is null)
        {
            return null;
        }

        var current = (await LatestAsync(connection, transaction, userId, cancellationToken)).ToDictionary(c => c.Purpose, c => c.Granted);
        var changed = answers.Where(a => current.GetValueOrDefault(a.Purpose) != a.Granted || !current.ContainsKey(a.Purpose)).ToList();
        foreach (var (purpose, granted) in changed)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into marketing_consents (user_id, purpose, granted, source, ip_address, user_agent)
                values (@userId, @purpose, @granted, @source, @Ip, @UserAgent)
                """, new { userId, purpose, granted, source, actor.Ip, actor.UserAgent }, transaction, cancellationToken: cancellationToken));
            if (purpose == MarketingConsent.EmailMarketing)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    granted
                        ? """
                          insert into newsletter_subscriptions (email, status, subscribed_at, source) values (@email, 'subscribed', now(), @source)
                          on conflict (email) do update
                          set status = 'subscribed', subscribed_at = now(), unsubscribed_at = null, unsubscribe_reason = null, source = excluded.source
                          """
                        : """
                          update newsletter_subscriptions set status = 'unsubscribed', unsubscribed_at = now(), unsubscribe_reason = 'consent_withdrawn'
                          where email = @email and status <> 'unsubscribed'
                          """,
                    new { email, source }, transaction, cancellationToken: cancellationToken));
            }
        }

        if (changed.Count > 0)
        {
            await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("consent.change", "users", userId,
                null, new { source, consents = changed.ToDictionary(c => c.Purpose, c => c.Granted) }), actor, cancellationToken);
        }

        var after = await LatestAsync(connection, transaction, userId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Complete(after);
    }

    private static async Task<IReadOnlyList<ConsentState>> LatestAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long userId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<ConsentState>(new CommandDefinition(
            """
            select distinct on (purpose) purpose, granted, source, recorded_at
            from marketing_consents where user_id = @userId
            order by purpose, recorded_at desc, id desc
            """, new { userId }, transaction, cancellationToken: cancellationToken))).AsList();

    // Every purpose in the list's order; one never asked is not granted.
    private static IReadOnlyList<ConsentState> Complete(IReadOnlyList<ConsentState> recorded) =>
        MarketingConsent.Purposes
            .Select(p => recorded.FirstOrDefault(r => r.Purpose == p) ?? new ConsentState { Purpose = p })
            .ToList();
}
