using Dapper;
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
/// Course completion as the customer reports it, for courses followed outside the lessons here (an
/// in-person class); lesson progress completes a course by itself (<see cref="CourseStore.ReportProgressAsync"/>).
/// A customer who paid for the course's catalog product is enrolled on the way. Completing again
/// returns the first completion.
/// </summary>
public sealed class CourseCompletionStore(NpgsqlDataSource dataSource)
{
    /// <summary>Order states in which the customer has paid for the course's product.</summary>
    private static readonly string[] PurchasedStatuses = ["paid", "processing", "shipped", "delivered"];

    public async Task<(CourseCompletionOutcome Outcome, CourseCompletion? Completion)> CompleteAsync(long userId, long courseId, CancellationToken cancellationToken)
    {
        var parameters = new { courseId, userId, statuses = PurchasedStatuses };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from courses where id = @courseId and status = 'published')", parameters, transaction, cancellationToken: cancellationToken)))
        {
            return (CourseCompletionOutcome.CourseNotFound, null);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into course_enrollments (course_id, user_id, price_paid)
            select c.id, @userId, max(oi.unit_price) from courses c
            join order_items oi on oi.product_id = c.product_id
            join orders o on o.id = oi.order_id and o.user_id = @userId and o.status = any(@statuses)
            where c.id = @courseId
            group by c.id
            on conflict (course_id, user_id) do nothing
            """, parameters, transaction, cancellationToken: cancellationToken));

        var completion = await connection.QuerySingleOrDefaultAsync<CourseCompletion>(new CommandDefinition(
            """
            update course_enrollments set completed_at = coalesce(completed_at, now()), progress_percentage = 100
            where course_id = @courseId and user_id = @userId and is_active
            returning id as enrollment_id, course_id, completed_at
            """, parameters, transaction, cancellationToken: cancellationToken));
        if (completion is null)
        {
            return (CourseCompletionOutcome.NotEnrolled, null);
        }

        await transaction.CommitAsync(cancellationToken);
        return (CourseCompletionOutcome.Completed, completion);
    }
}
