using Dapper;
using MestresCafe.Content;
using Npgsql;

namespace MestresCafe.Data.Content;

public enum EnrollOutcome
{
    Enrolled,
    AlreadyEnrolled,
    CourseNotFound,
    MustBuy,
}

/// <summary>
/// The coffee school: published courses and their outlines, free enrolment, lessons for those who
/// may open them, progress (<see cref="CourseProgress"/>), completion with its certificate, and
/// staff figures. Paid enrolments are written by the order projection (<c>CourseEnrollmentSql</c>).
/// </summary>
public sealed class CourseStore(NpgsqlDataSource dataSource)
{
    private const string SummaryColumns =
        """
        c.id, c.slug, c.title, c.description, c.featured_image, c.price, c.difficulty_level, c.duration_hours,
        p.slug as product_slug,
        (select count(*) from course_lessons l join course_modules m on m.id = l.module_id where m.course_id = c.id and m.is_active)::int as lesson_count
        """;

    public async Task<IReadOnlyList<CourseSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<CourseSummary>(new CommandDefinition(
            $"select {SummaryColumns} from courses c left join products p on p.id = c.product_id where c.status = 'published' order by c.title",
            cancellationToken: cancellationToken))).AsList();
    }

    public async Task<CourseOutline?> OutlineAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var course = await connection.QuerySingleOrDefaultAsync<CourseSummary>(new CommandDefinition(
            $"select {SummaryColumns} from courses c left join products p on p.id = c.product_id where c.slug = @slug and c.status = 'published'",
            new { slug }, cancellationToken: cancellationToken));
        if (course is null)
        {
            return null;
        }

        var modules = await connection.QueryAsync<ModuleRow>(new CommandDefinition(
            "select id, title, description from course_modules where course_id = @id and is_active order by sort_order, id",
            new { id = course.Id }, cancellationToken: cancellationToken));
        var lessons = (await connection.QueryAsync<LessonOutline>(new CommandDefinition(
            """
            select l.id, l.module_id, l.title, l.duration_minutes, l.is_free, l.is_required
            from course_lessons l join course_modules m on m.id = l.module_id
            where m.course_id = @id and m.is_active order by l.sort_order, l.id
            """, new { id = course.Id }, cancellationToken: cancellationToken))).ToLookup(l => l.ModuleId);
        return new CourseOutline(course, modules.Select(m => new ModuleOutline(m.Id, m.Title, m.Description, lessons[m.Id].ToList())).ToList());
    }

    /// <summary>Enrols in a free course; a paid one is bought through its catalog product.</summary>
    public async Task<(EnrollOutcome Outcome, long? EnrollmentId)> EnrollFreeAsync(string slug, long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QuerySingleOrDefaultAsync<CoursePrice>(new CommandDefinition(
            "select id, price from courses where slug = @slug and status = 'published'", new { slug }, cancellationToken: cancellationToken));
        if (found is null)
        {
            return (EnrollOutcome.CourseNotFound, null);
        }

        if (found.Price > 0)
        {
            return (EnrollOutcome.MustBuy, null);
        }

        var inserted = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into course_enrollments (course_id, user_id) values (@courseId, @userId)
            on conflict (course_id, user_id) do update set is_active = true, access_revoked_at = null where not course_enrollments.is_active
            returning id
            """, new { courseId = found.Id, userId }, cancellationToken: cancellationToken));
        if (inserted is { } id)
        {
            return (EnrollOutcome.Enrolled, id);
        }

        return (EnrollOutcome.AlreadyEnrolled, await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select id from course_enrollments where course_id = @courseId and user_id = @userId", new { courseId = found.Id, userId }, cancellationToken: cancellationToken)));
    }

    /// <summary>A lesson of a published course with the user's enrolment and progress (userId 0: anonymous); null when there is none.</summary>
    public async Task<LessonRow?> LessonAsync(string slug, long lessonId, long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<LessonRow>(new CommandDefinition(
            """
            select l.id, c.id as course_id, l.title, l.content, l.video_url, l.duration_minutes, l.is_free, l.is_required, l.materials,
                   e.id as enrollment_id, coalesce(lp.last_position_seconds, 0) as last_position_seconds, coalesce(lp.is_completed, false) as is_completed
            from course_lessons l
            join course_modules m on m.id = l.module_id and m.is_active
            join courses c on c.id = m.course_id and c.slug = @slug and c.status = 'published'
            left join course_enrollments e on e.course_id = c.id and e.user_id = @userId and e.is_active
            left join lesson_progress lp on lp.enrollment_id = e.id and lp.lesson_id = l.id
            where l.id = @lessonId
            """, new { slug, lessonId, userId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Records where the learner is in a lesson and whether they finished it, then the course's
    /// progress; the first time every required lesson is done, the enrolment is completed and its
    /// certificate issued, in the same transaction. The enrolment row is locked first, so two reports
    /// at once complete it once. Null when the user has no active enrolment holding this lesson.
    /// </summary>
    public async Task<ProgressOutcome?> ReportProgressAsync(string slug, long lessonId, long userId, int positionSeconds, bool completed, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var target = await connection.QuerySingleOrDefaultAsync<ProgressTarget>(new CommandDefinition(
            """
            select e.id as enrollment_id, e.completed_at, l.duration_minutes
            from course_enrollments e
            join courses c on c.id = e.course_id and c.slug = @slug
            join course_modules m on m.course_id = c.id and m.is_active
            join course_lessons l on l.module_id = m.id and l.id = @lessonId
            where e.user_id = @userId and e.is_active
            for update of e
            """, new { slug, lessonId, userId }, transaction, cancellationToken: cancellationToken));
        if (target is null)
        {
            return null;
        }

        var position = CourseProgress.ClampPosition(positionSeconds, target.DurationMinutes);
        var counts = await connection.QuerySingleAsync<RequiredCounts>(new CommandDefinition(
            """
            with upserted as (
                insert into lesson_progress as lp (enrollment_id, lesson_id, is_completed, completed_at, watch_time_seconds, last_position_seconds)
                values (@enrollmentId, @lessonId, @completed, case when @completed then now() end, @position, @position)
                on conflict (enrollment_id, lesson_id) do update
                    set is_completed = lp.is_completed or excluded.is_completed,
                        completed_at = coalesce(lp.completed_at, excluded.completed_at),
                        watch_time_seconds = greatest(lp.watch_time_seconds, excluded.watch_time_seconds),
                        last_position_seconds = excluded.last_position_seconds,
                        last_accessed = now()
                returning lesson_id, is_completed)
            select count(*)::int as required,
                   count(*) filter (where l.id = (select lesson_id from upserted) and (select is_completed from upserted)
                                       or l.id <> (select lesson_id from upserted) and lp.is_completed)::int as completed
            from course_lessons l
            join course_modules m on m.id = l.module_id and m.is_active
            join course_enrollments e on e.course_id = m.course_id and e.id = @enrollmentId
            left join lesson_progress lp on lp.enrollment_id = e.id and lp.lesson_id = l.id
            where l.is_required
            """, new { enrollmentId = target.EnrollmentId, lessonId, completed, position }, transaction, cancellationToken: cancellationToken));

        var percentage = CourseProgress.Percentage(counts.Required, counts.Completed);
        var completeNow = target.CompletedAt is null && CourseProgress.IsComplete(counts.Required, counts.Completed);
        var completedAt = await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            """
            update course_enrollments set progress_percentage = greatest(progress_percentage, @percentage),
                   completed_at = case when @completeNow then now() else completed_at end
            where id = @enrollmentId returning completed_at
            """, new { enrollmentId = target.EnrollmentId, percentage = completeNow ? 100 : percentage, completeNow }, transaction, cancellationToken: cancellationToken));

        string? code = null;
        if (completeNow)
        {
            code = await IssueCertificateAsync(connection, transaction, target.EnrollmentId, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ProgressOutcome(target.EnrollmentId, completedAt is null ? percentage : 100, completedAt, completeNow, code);
    }

    public async Task<IReadOnlyList<MyCourse>> MyCoursesAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<MyCourse>(new CommandDefinition(
            """
            select e.id as enrollment_id, c.id as course_id, c.slug, c.title, e.progress_percentage, e.enrolled_at, e.completed_at,
                   cc.verification_code as certificate_code
            from course_enrollments e join courses c on c.id = e.course_id
            left join course_certificates cc on cc.enrollment_id = e.id
            where e.user_id = @userId and e.is_active
            order by e.enrolled_at desc, e.id desc
            """, new { userId }, cancellationToken: cancellationToken))).AsList();
    }

    private const string CertificateColumns =
        """
        select cc.verification_code, cc.student_name, cc.course_title, cc.completed_at, cc.issued_at, e.user_id
        from course_certificates cc join course_enrollments e on e.id = cc.enrollment_id
        """;

    /// <summary>The certificate with this verification code (kept when access was later removed: it certifies what was done).</summary>
    public async Task<CertificateView?> CertificateAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CertificateView>(new CommandDefinition(
            CertificateColumns + " where cc.verification_code = @code", new { code }, cancellationToken: cancellationToken));
    }

    /// <summary>The user's certificate for the course, if they completed it.</summary>
    public async Task<CertificateView?> MyCertificateAsync(long userId, string slug, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CertificateView>(new CommandDefinition(
            CertificateColumns + " join courses c on c.id = e.course_id where e.user_id = @userId and c.slug = @slug",
            new { userId, slug }, cancellationToken: cancellationToken));
    }

    /// <summary>Enrolments, completion rate and, per lesson, how many started, finished and stopped there.</summary>
    public async Task<CourseStats?> StatsAsync(long courseId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QuerySingleOrDefaultAsync<EnrollmentTotals>(new CommandDefinition(
            """
            select count(e.id) filter (where e.is_active)::int as active,
                   count(e.id) filter (where e.is_active and e.completed_at is not null)::int as completed
            from courses c left join course_enrollments e on e.course_id = c.id where c.id = @courseId group by c.id
            """, new { courseId }, cancellationToken: cancellationToken));
        if (found is null)
        {
            return null;
        }

        var lessons = (await connection.QueryAsync<LessonStats>(new CommandDefinition(
            """
            with ordered as (
                select l.id, l.title, row_number() over (order by m.sort_order, m.id, l.sort_order, l.id) as position
                from course_lessons l join course_modules m on m.id = l.module_id and m.is_active where m.course_id = @courseId),
            furthest as (
                select distinct on (e.id) e.id as enrollment_id, o.id as lesson_id
                from course_enrollments e
                join lesson_progress lp on lp.enrollment_id = e.id
                join ordered o on o.id = lp.lesson_id
                where e.course_id = @courseId and e.is_active and e.completed_at is null
                order by e.id, o.position desc)
            select o.id as lesson_id, o.title,
                   (select count(*) from lesson_progress lp join course_enrollments e on e.id = lp.enrollment_id and e.is_active where lp.lesson_id = o.id)::int as started,
                   (select count(*) from lesson_progress lp join course_enrollments e on e.id = lp.enrollment_id and e.is_active where lp.lesson_id = o.id and lp.is_completed)::int as completed,
                   (select count(*) from furthest f where f.lesson_id = o.id)::int as stopped_here
            from ordered o order by o.position
            """, new { courseId }, cancellationToken: cancellationToken))).AsList();
        var rate = found.Active == 0 ? 0m : Math.Round((decimal)found.Completed / found.Active, 4);
        return new CourseStats(courseId, found.Active, found.Completed, rate, lessons);
    }

    private static async Task<string> IssueCertificateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long enrollmentId, CancellationToken cancellationToken)
    {
        var code = CourseProgress.NewVerificationCode();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into course_certificates (enrollment_id, verification_code, student_name, course_title, completed_at)
            select e.id, @code, coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email), c.title, e.completed_at
            from course_enrollments e join users u on u.id = e.user_id join courses c on c.id = e.course_id
            where e.id = @enrollmentId
            """, new { enrollmentId, code }, transaction, cancellationToken: cancellationToken));
        return code;
    }

    private sealed record CoursePrice
    {
        public long Id { get; init; }
        public decimal Price { get; init; }
    }

    private sealed record EnrollmentTotals
    {
        public int Active { get; init; }
        public int Completed { get; init; }
    }

    private sealed record ProgressTarget
    {
        public long EnrollmentId { get; init; }
        public DateTimeOffset? CompletedAt { get; init; }
        public int? DurationMinutes { get; init; }
    }

    private sealed record RequiredCounts
    {
        public int Required { get; init; }
        public int Completed { get; init; }
    }
}
