using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Settings;

/// <summary>A system_configurations row.</summary>
public sealed record SettingRow
{
    public long Id { get; init; }
    public string Key { get; init; } = "";
    public string? Value { get; init; }
    public string Type { get; init; } = "string";
    public string? Description { get; init; }
    public bool IsPublic { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public long? UpdatedBy { get; init; }
}

/// <summary>How a change of one setting ended.</summary>
public enum SettingChangeOutcome
{
    Changed,
    Unchanged,
    NotFound,
    Refused,
}

public sealed record SettingChange(SettingChangeOutcome Outcome, SettingRow? Row, string? Refusal = null);

/// <summary>system_configurations: read by every server's live settings, changed by the back office.</summary>
public sealed class SettingsStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, key, value, type, description, is_public, updated_at, updated_by";

    public async Task<IReadOnlyList<SettingRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SettingRow>(new CommandDefinition(
            $"select {Columns} from system_configurations order by key", cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Changes whenever a row is written or removed: what a server polls to notice a change it was not told about.</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<string>(new CommandDefinition(
            "select count(*)::text || '@' || coalesce(max(updated_at)::text, '') from system_configurations", cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="value"/> when <paramref name="check"/> (given the
    /// row's declared type and the current values of <paramref name="related"/> keys, locked for the
    /// transaction) finds nothing wrong, with an audit row holding the old and new values, in one
    /// transaction. A live setting whose row is missing is created with <paramref name="typeIfNew"/>.
    /// </summary>
    public async Task<SettingChange> ChangeAsync(
        string key, string? value, SettingType? typeIfNew, IReadOnlyList<string> related,
        Func<SettingType, IReadOnlyDictionary<string, string?>, string?> check, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locked together, in key order: two changes of a related pair cannot both pass their check.
        var rows = (await connection.QueryAsync<SettingRow>(new CommandDefinition(
            $"select {Columns} from system_configurations where key = any(@related) order by key for update",
            new { related = related.ToArray() }, transaction, cancellationToken: cancellationToken))).ToDictionary(r => r.Key);
        var before = rows.GetValueOrDefault(key);
        if (before is null && typeIfNew is null)
        {
            return new SettingChange(SettingChangeOutcome.NotFound, null);
        }

        var type = before is null ? typeIfNew!.Value : Enum.Parse<SettingType>(before.Type, ignoreCase: true);
        if (check(type, rows.ToDictionary(r => r.Key, r => r.Value.Value)) is { } refusal)
        {
            return new SettingChange(SettingChangeOutcome.Refused, before, refusal);
        }

        if (before is not null && before.Value == value)
        {
            return new SettingChange(SettingChangeOutcome.Unchanged, before);
        }

        var after = await connection.QuerySingleAsync<SettingRow>(new CommandDefinition(
            $"""
            insert into system_configurations (key, value, type, updated_by)
            values (@key, @value, @type, (select id from users where id = @actorId))
            on conflict (key) do update
            set value = excluded.value, updated_by = excluded.updated_by, updated_at = now()
            returning {Columns}
            """,
            new { key, value, type = type.ToSnakeCase(), actorId = actor.UserId }, transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry(before is null ? "setting.create" : "setting.update", "system_configurations", after.Id,
                before is null ? null : new { key, value = before.Value }, new { key, value }),
            actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SettingChange(SettingChangeOutcome.Changed, after);
    }
}
