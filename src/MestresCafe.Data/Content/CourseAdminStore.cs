using System.Text.Json;
using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Content;

/// <summary>
/// The coffee school's back office: courses, modules and lessons as plain rows (the generic
/// back-office writes, <see cref="AdminRowStore"/>), a course with its whole outline for editors,
/// and publishing, which checks that the course can be taken and bought.
/// </summary>
public sealed class CourseAdminStore(NpgsqlDataSource dataSource) : AdminRowStore(Tables)
{
    private static readonly HashSet<string> Tables = ["courses", "course_modules", "course_lessons"];

    /// <summary>A course row image with its modules and their lessons (all of them, inactive modules included), in order.</summary>
    private const string Outline =
        """
        to_jsonb(c) || jsonb_build_object('modules', coalesce((
            select jsonb_agg(to_jsonb(m) || jsonb_build_object('lessons', coalesce((
                select jsonb_agg(to_jsonb(l) order by l.sort_order, l.id) from course_lessons l where l.module_id = m.id), '[]'::jsonb))
                order by m.sort_order, m.id)
            from course_modules m where m.course_id = c.id), '[]'::jsonb))
        """;

    public async Task<IReadOnlyList<JsonElement>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            "select to_jsonb(c)::text from courses c where (@status::text is null or c.status = @status) order by c.updated_at desc, c.id desc limit 500",
            new { status }, cancellationToken: cancellationToken));
        return rows.Select(row => JsonDocument.Parse(row).RootElement.Clone()).ToList();
    }

    public async Task<JsonElement?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadOutlineAsync(connection, null, id, cancellationToken);
    }

    /// <summary>
    /// Publishes (or takes back to draft) the course, locked; the refusal when publishing is not
    /// possible: a course nobody could take (no active module with a lesson), or a paid course with
    /// no catalog product to sell it through. Null change: no such course.
    /// </summary>
    public async Task<(RowChange? Change, string? Refusal)> SetPublishedAsync(WriteScope write, long id, bool publish, CancellationToken cancellationToken)
    {
        var old = await LockAsync(write, "courses", id, null, cancellationToken);
        if (old is null)
        {
            return (null, null);
        }

        if (publish)
        {
            var facts = await write.Connection.QuerySingleAsync<(bool HasLessons, bool SellableIfPaid)>(new CommandDefinition(
                """
                select exists (select 1 from course_modules m join course_lessons l on l.module_id = m.id where m.course_id = c.id and m.is_active) as has_lessons,
                       (c.price = 0 or c.product_id is not null) as sellable_if_paid
                from courses c where c.id = @id
                """, new { id }, write.Transaction, cancellationToken: cancellationToken));
            if (!facts.HasLessons)
            {
                return (null, "A course needs at least one active module with a lesson before it is published.");
            }

            if (!facts.SellableIfPaid)
            {
                return (null, "A paid course is sold through a catalog product: set productId before publishing.");
            }
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            "update courses set status = @status where id = @id", new { id, status = publish ? "published" : "draft" }, write.Transaction,
            cancellationToken: cancellationToken));
        return (new RowChange(id, old, await ReadOutlineAsync(write.Connection, write.Transaction, id, cancellationToken)), null);
    }

    private static async Task<JsonElement?> ReadOutlineAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"select ({Outline})::text from courses c where c.id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : JsonDocument.Parse(row).RootElement.Clone();
    }
}
