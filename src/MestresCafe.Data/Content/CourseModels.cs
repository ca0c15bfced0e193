using System.Text.Json;

namespace MestresCafe.Data.Content;

/// <summary>A published course as the catalogue of the school shows it; free when its price is zero.</summary>
public sealed record CourseSummary
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public string? Description { get; init; }
    public string? FeaturedImage { get; init; }
    public decimal Price { get; init; }
    public bool IsFree => Price == 0;
    public string DifficultyLevel { get; init; } = "";
    public int? DurationHours { get; init; }

    /// <summary>The catalog product that sells a paid course: buy it to enrol.</summary>
    public string? ProductSlug { get; init; }
    public int LessonCount { get; init; }
}

/// <summary>A course with its outline: modules and lessons without their bodies.</summary>
public sealed record CourseOutline(CourseSummary Course, IReadOnlyList<ModuleOutline> Modules);

public sealed record ModuleOutline(long Id, string Title, string? Description, IReadOnlyList<LessonOutline> Lessons);

public sealed record LessonOutline
{
    public long Id { get; init; }
    public long ModuleId { get; init; }
    public string Title { get; init; } = "";
    public int? DurationMinutes { get; init; }

    /// <summary>Open to anyone as a preview.</summary>
    public bool IsFree { get; init; }
    public bool IsRequired { get; init; }
}

public sealed record ModuleRow
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public string? Description { get; init; }
}

/// <summary>A lesson with its body, for a learner who may open it.</summary>
public sealed record LessonRow
{
    public long Id { get; init; }
    public long CourseId { get; init; }
    public string Title { get; init; } = "";
    public string? Content { get; init; }
    public string? VideoUrl { get; init; }
    public int? DurationMinutes { get; init; }
    public bool IsFree { get; init; }
    public bool IsRequired { get; init; }
    public JsonElement Materials { get; init; }

    /// <summary>The asking user's active enrolment in the course, if any.</summary>
    public long? EnrollmentId { get; init; }
    public int LastPositionSeconds { get; init; }
    public bool IsCompleted { get; init; }
}

/// <summary>One of my enrolments with its progress and certificate.</summary>
public sealed record MyCourse
{
    public long EnrollmentId { get; init; }
    public long CourseId { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public int ProgressPercentage { get; init; }
    public DateTimeOffset EnrolledAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? CertificateCode { get; init; }
}

/// <summary>Where a learner stands after reporting a lesson's progress.</summary>
public sealed record ProgressOutcome(long EnrollmentId, int ProgressPercentage, DateTimeOffset? CompletedAt, bool CompletedNow, string? CertificateCode);

/// <summary>A certificate as anyone may check it.</summary>
public sealed record CertificateView
{
    public string VerificationCode { get; init; } = "";
    public string StudentName { get; init; } = "";
    public string CourseTitle { get; init; } = "";
    public DateTimeOffset CompletedAt { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public long UserId { get; init; }
}

/// <summary>Staff's view of a course: enrolments, completion and where learners stop.</summary>
public sealed record CourseStats(long CourseId, int ActiveEnrollments, int Completed, decimal CompletionRate, IReadOnlyList<LessonStats> Lessons);

public sealed record LessonStats
{
    public long LessonId { get; init; }
    public string Title { get; init; } = "";
    public int Started { get; init; }
    public int Completed { get; init; }

    /// <summary>Learners, not finished with the course, whose furthest lesson reached is this one.</summary>
    public int StoppedHere { get; init; }
}
