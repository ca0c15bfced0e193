using System.Text.Json;
using Dapper;
using MestresCafe.Crm;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Reporting;
using Npgsql;

namespace MestresCafe.Data.Crm;

public sealed record SegmentRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public JsonElement Criteria { get; init; }
    public bool IsActive { get; init; }
    public int MemberCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record SegmentMemberRow
{
    public long CustomerId { get; init; }
    public string CustomerNumber { get; init; } = "";
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public DateTimeOffset AddedAt { get; init; }
    public long Total { get; init; }
}

public enum SegmentSaveStatus
{
    Saved,
    NotFound,
    NameTaken,
    /// <summary>A criterion names a category or group that does not exist; <see cref="SegmentSave.Errors"/> says which.</summary>
    Invalid,
}

public sealed record SegmentSave(SegmentSaveStatus Status, SegmentRow? Segment = null, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// Segment definitions (relational-first, audited) and their members. Saving a segment evaluates
/// it in full in the same transaction, so its member count is right the moment it is answered;
/// afterwards <see cref="SegmentMembership"/> keeps it so.
/// </summary>
public sealed class SegmentStore(NpgsqlDataSource dataSource, SegmentMembership membership)
{
    private const string Select =
        """
        select s.id, s.name, s.description, s.criteria, s.is_active, s.created_at, s.updated_at,
               (select count(*) from customer_segment_members m where m.segment_id = s.id)::int as member_count
        from customer_segments s
        """;

    public async Task<IReadOnlyList<SegmentRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SegmentRow>(new CommandDefinition(Select + " order by s.name", cancellationToken: cancellationToken))).AsList();
    }

    public async Task<SegmentRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, null, id, cancellationToken);
    }

    /// <summary>Creates (<paramref name="id"/> null) or replaces a segment, then evaluates it.</summary>
    public async Task<SegmentSave> SaveAsync(
        long? id, string name, string? description, JsonElement criteriaJson, SegmentCriteria criteria, bool isActive, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await UnknownReferencesAsync(connection, transaction, criteria, cancellationToken) is { Count: > 0 } errors)
        {
            return new SegmentSave(SegmentSaveStatus.Invalid, Errors: errors);
        }

        var before = id is null ? null : await GetAsync(connection, transaction, id.Value, cancellationToken);
        if (id is not null && before is null)
        {
            return new SegmentSave(SegmentSaveStatus.NotFound);
        }

        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from customer_segments where lower(name) = lower(@name) and id is distinct from @id)",
                new { name, id }, transaction, cancellationToken: cancellationToken)))
        {
            return new SegmentSave(SegmentSaveStatus.NameTaken);
        }

        var values = new { id, name, description, criteria = criteriaJson.GetRawText(), isActive };
        var savedId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            id is null
                ? "insert into customer_segments (name, description, criteria, is_active) values (@name, @description, @criteria::jsonb, @isActive) returning id"
                : "update customer_segments set name = @name, description = @description, criteria = @criteria::jsonb, is_active = @isActive where id = @id returning id",
            values, transaction, cancellationToken: cancellationToken));
        if (isActive)
        {
            await membership.ApplyAsync(connection, transaction, savedId, criteria, null, cancellationToken);
        }
        else
        {
            // An inactive segment is nobody's audience: its members would only go stale.
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from customer_segment_members where segment_id = @savedId", new { savedId }, transaction, cancellationToken: cancellationToken));
        }

        var after = await GetAsync(connection, transaction, savedId, cancellationToken);
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry(
            id is null ? "segment.create" : "segment.update", "customer_segments", savedId, Image(before), Image(after)), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SegmentSave(SegmentSaveStatus.Saved, after);
    }

    public async Task<bool> DeleteAsync(long id, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await GetAsync(connection, transaction, id, cancellationToken) is not { } before)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition("delete from customer_segments where id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("segment.delete", "customer_segments", id, Image(before), null), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>A page of members, newest first, each row carrying the total.</summary>
    public async Task<IReadOnlyList<SegmentMemberRow>> MembersAsync(long segmentId, int limit, long offset, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SegmentMemberRow>(new CommandDefinition(
            MembersSql + " limit @limit offset @offset", new { segmentId, limit, offset }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Every member as CSV (customer number, name, e-mail, since), for a campaign tool or a spreadsheet.</summary>
    public async Task<string> MembersCsvAsync(long segmentId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SegmentMemberRow>(new CommandDefinition(MembersSql, new { segmentId }, cancellationToken: cancellationToken))).AsList();
        return ReportCsv.Write(new ReportTable(
            ["customer_number", "name", "email", "added_at"],
            rows.Select(r => new object?[] { r.CustomerNumber, r.Name, r.Email, r.AddedAt }).ToList()));
    }

    private const string MembersSql =
        """
        select c.id as customer_id, c.customer_number, coalesce(c.company_name, btrim(u.first_name || ' ' || u.last_name)) as name,
               u.email, m.added_at, count(*) over () as total
        from customer_segment_members m join customers c on c.id = m.customer_id join users u on u.id = c.user_id
        where m.segment_id = @segmentId
        order by m.added_at desc, c.id
        """;

    private static async Task<SegmentRow?> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<SegmentRow>(new CommandDefinition(
            Select + " where s.id = @id", new { id }, transaction, cancellationToken: cancellationToken));

    private static async Task<Dictionary<string, string[]>> UnknownReferencesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SegmentCriteria criteria, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        await CheckAsync("categoriesBought", "categories", criteria.CategoriesBought, "No such category.");
        await CheckAsync("groups", "customer_groups", criteria.Groups, "No such group.");
        return errors;

        async Task CheckAsync(string key, string table, IReadOnlyList<long>? ids, string message)
        {
            if (ids is null)
            {
                return;
            }

            // table is one of the two names above, never input.
            var known = (await connection.QueryAsync<long>(new CommandDefinition(
                $"select id from {table} where id = any(@ids)", new { ids = ids.ToArray() }, transaction, cancellationToken: cancellationToken))).ToHashSet();
            for (var i = 0; i < ids.Count; i++)
            {
                if (!known.Contains(ids[i]))
                {
                    errors[$"criteria.{key}[{i}]"] = [message];
                }
            }
        }
    }

    private static object? Image(SegmentRow? row) => row is null ? null : new { row.Name, row.Description, Criteria = row.Criteria, row.IsActive };
}
