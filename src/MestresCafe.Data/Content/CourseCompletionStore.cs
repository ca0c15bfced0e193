using Npgsql;

namespace MestresCafe.Data.Content;

public enum CourseCompletionOutcome
{
    Completed,
    CourseNotFound,
    NotEnrolled,
}

/// <summary>An enrollment marked complete: its id names the completion (one per customer and course).</summary>
public sealed record CourseCompletion(long EnrollmentId, long CourseId, DateTimeOffset CompletedAt);

/// <summary>
/// Course completion as the customer reports it. The content domain does not track lesson progress
/// yet, so a course is complete when its enrolled customer says so; a customer who paid for the
/// course's catalog product is enrolled on the way. Completing again returns the first completion.
/// </summary>
public sealed class CourseCompletionStore(NpgsqlDataSource dataSource)
{
    /// <summary>Order states in which the customer has paid for the course's product.</summary>
    private static readonly string[] PurchasedStatuses = ["paid", "processing", "shipped", "delivered"];

    public async Task<(CourseCompletionOutcome Outcome, CourseCompletion? Completion)> CompleteAsync(long userId, long courseId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var exists = Command(connection, transaction, "select exists (select 1 from courses where id = $1 and status = 'published')", courseId))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return (CourseCompletionOutcome.CourseNotFound, null);
            }
        }

        await using (var enroll = Command(connection, transaction,
            """
            insert into course_enrollments (course_id, user_id, price_paid)
            select c.id, $2, max(oi.unit_price) from courses c
            join order_items oi on oi.product_id = c.product_id
            join orders o on o.id = oi.order_id and o.user_id = $2 and o.status = any($3)
            where c.id = $1
            group by c.id
            on conflict (course_id, user_id) do nothing
            """, courseId, userId, PurchasedStatuses))
        {
            await enroll.ExecuteNonQueryAsync(cancellationToken);
        }

        CourseCompletion? completion = null;
        await using (var complete = Command(connection, transaction,
            """
            update course_enrollments set completed_at = coalesce(completed_at, now()), progress_percentage = 100
            where course_id = $1 and user_id = $2 and is_active
            returning id, completed_at
            """, courseId, userId))
        await using (var reader = await complete.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                completion = new CourseCompletion(reader.GetInt64(0), courseId, reader.GetFieldValue<DateTimeOffset>(1));
            }
        }

        if (completion is null)
        {
            return (CourseCompletionOutcome.NotEnrolled, null);
        }

        await transaction.CommitAsync(cancellationToken);
        return (CourseCompletionOutcome.Completed, completion);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return command;
    }
}
