using Dapper;
using Npgsql;

namespace MestresCafe.Data.Observability;

/// <summary>A warning or error as the logger provider hands it over.</summary>
public sealed record SystemLogEntry(
    string Level, string Message, string Category, string? EventName, string ContextJson, string? TraceId, DateTimeOffset CreatedAt);

/// <summary>One row of the back office's search.</summary>
public sealed record SystemLogRow
{
    public long Id { get; init; }
    public string Level { get; init; } = "";
    public string Message { get; init; } = "";
    public string? Category { get; init; }
    public string? EventName { get; init; }
    public System.Text.Json.JsonElement Context { get; init; }
    public string? TraceId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>What the back office searches by; levels is the set to include.</summary>
public sealed record SystemLogSearch(
    IReadOnlyList<string> Levels, string? Text, string? Category, string? TraceId, DateTimeOffset From, DateTimeOffset To, int Page, int PageSize);

public sealed record SystemLogPage(IReadOnlyList<SystemLogRow> Items, int Page, int PageSize, bool HasMore);

/// <summary>system_logs: written in batches by the logger provider's writer, searched by operators.</summary>
public sealed class SystemLogStore(NpgsqlDataSource dataSource)
{
    /// <summary>The levels in order of severity, as the table's CHECK spells them.</summary>
    public static readonly IReadOnlyList<string> Levels = ["trace", "debug", "information", "warning", "error", "critical"];

    /// <summary>One statement for the whole batch (arrays unnested), so a burst of errors costs one round trip.</summary>
    public async Task WriteAsync(IReadOnlyList<SystemLogEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into system_logs (level, message, module, function, context, trace_id, created_at)
            select level, message, module, function, context::jsonb, trace_id, created_at
            from unnest(@Levels, @Messages, @Modules, @Functions, @Contexts, @TraceIds, @CreatedAts)
                 as t(level, message, module, function, context, trace_id, created_at)
            """,
            new
            {
                Levels = entries.Select(e => e.Level).ToArray(),
                Messages = entries.Select(e => e.Message).ToArray(),
                Modules = entries.Select(e => e.Category).ToArray(),
                Functions = entries.Select(e => e.EventName).ToArray(),
                Contexts = entries.Select(e => e.ContextJson).ToArray(),
                TraceIds = entries.Select(e => e.TraceId).ToArray(),
                CreatedAts = entries.Select(e => e.CreatedAt).ToArray(),
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>Newest first; one row more than the page is read to know whether another page follows.</summary>
    public async Task<SystemLogPage> SearchAsync(SystemLogSearch search, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<SystemLogRow>(new CommandDefinition(
            """
            select id, level, message, module as category, function as event_name, context, trace_id, created_at
            from system_logs
            where created_at >= @From and created_at < @To
              and level = any(@Levels)
              and (@Text::text is null or message ilike '%' || @Text || '%' escape '\')
              and (@Category::text is null or module = @Category)
              and (@TraceId::text is null or trace_id = @TraceId)
            order by created_at desc, id desc
            limit @Take offset @Skip
            """,
            new
            {
                search.From,
                search.To,
                Levels = search.Levels.ToArray(),
                Text = search.Text is null ? null : EscapeLike(search.Text),
                search.Category,
                search.TraceId,
                Take = search.PageSize + 1,
                Skip = (search.Page - 1) * search.PageSize,
            },
            cancellationToken: cancellationToken))).ToList();
        var hasMore = rows.Count > search.PageSize;
        return new SystemLogPage(hasMore ? rows.GetRange(0, search.PageSize) : rows, search.Page, search.PageSize, hasMore);
    }

    // The text is searched literally: % and _ are not wildcards to the operator.
    private static string EscapeLike(string text) =>
        text.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
