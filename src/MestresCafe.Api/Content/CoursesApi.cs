using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog;
using MestresCafe.Api.Security;
using MestresCafe.Content;
using MestresCafe.Data.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Content;

/// <summary>Where the learner is in a lesson: the player's position, and whether they finished it.</summary>
public sealed record LessonProgressInput(
    [Required(ErrorMessage = "Required."), Range(0, 86_400, ErrorMessage = "From {1} to {2} seconds.")] int? PositionSeconds,
    bool? Completed);

public sealed record EnrollmentView(long EnrollmentId, string CourseSlug);

/// <summary>A lesson opened by someone allowed to: its body as sanitised HTML, its video and materials.</summary>
public sealed record LessonView(
    long Id, string Title, string ContentHtml, string? VideoUrl, int? DurationMinutes, bool IsRequired, JsonElement Materials,
    int LastPositionSeconds, bool IsCompleted);

/// <summary>
/// The coffee school: published courses and their outlines (cached), free enrolment (a paid course
/// is bought as its catalog product, which enrols the buyer when the order is paid), lessons, progress
/// and completion (which counts for the course achievements and issues a certificate), my courses,
/// and staff figures per course.
/// </summary>
public static class CoursesApi
{
    public static RouteGroupBuilder MapCoursesApi(this RouteGroupBuilder api)
    {
        var courses = api.MapGroup("/content/courses").WithTags("Courses");
        courses.MapGet("/", (CourseStore store, ContentCache cache, CancellationToken ct) => cache.GetOrCreateAsync("courses", store.ListAsync, ct))
            .WithName("ListCourses")
            .WithSummary("Published courses, free and paid (a paid one names the catalog product that sells it).");
        courses.MapGet("/{slug}", OutlineAsync)
            .WithName("GetCourse")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A published course with its modules and lessons (no lesson bodies).");
        courses.MapPost("/{slug}/enroll", EnrollAsync)
            .RequireAuthorization()
            .WithName("EnrollInCourse")
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Enrol in a free course (again after leaving is fine); a paid course is bought through its product.");
        courses.MapGet("/{slug}/lessons/{lessonId:long}", LessonAsync)
            .WithName("GetLesson")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("A lesson's body, video and materials: preview lessons for anyone, the others for enrolled learners.");
        courses.MapPut("/{slug}/lessons/{lessonId:long}/progress", ProgressAsync)
            .RequireAuthorization()
            .WithName("ReportLessonProgress")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Where I am in a lesson and whether I finished it; completes the course when every required lesson is done.");

        api.MapGet("/me/courses", async (HttpContext http, CourseStore store, CancellationToken ct) =>
                TypedResults.Ok(await store.MyCoursesAsync(http.User.GetUserId(), ct)))
            .RequireAuthorization()
            .WithTags("Courses")
            .WithName("ListMyCourses")
            .WithSummary("My active enrolments with progress and certificate codes.");

        api.MapGet("/admin/content/courses/{id:long}/stats", async Task<Results<Ok<CourseStats>, ProblemHttpResult>> (long id, CourseStore store, CancellationToken ct) =>
                await store.StatsAsync(id, ct) is { } stats ? TypedResults.Ok(stats) : Problems.NotFound("No such course."))
            .RequirePermission("content:write")
            .WithTags("Content back office")
            .WithName("GetCourseStats")
            .WithSummary("Active enrolments, completion rate and, per lesson, learners who started, finished and stopped there.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return courses;
    }

    private static async Task<Results<Ok<CourseOutline>, ProblemHttpResult>> OutlineAsync(
        string slug, CourseStore store, ContentCache cache, CancellationToken cancellationToken)
    {
        var outline = CatalogValidation.IsSlug(slug) ? await cache.GetOrCreateAsync("course:" + slug, token => store.OutlineAsync(slug, token), cancellationToken) : null;
        return outline is null ? Problems.NotFound("No such course.") : TypedResults.Ok(outline);
    }

    private static async Task<Results<Created<EnrollmentView>, Ok<EnrollmentView>, ProblemHttpResult>> EnrollAsync(
        string slug, HttpContext http, CourseStore store, CancellationToken cancellationToken)
    {
        if (!CatalogValidation.IsSlug(slug))
        {
            return Problems.NotFound("No such course.");
        }

        var (outcome, id) = await store.EnrollFreeAsync(slug, http.User.GetUserId(), cancellationToken);
        return outcome switch
        {
            EnrollOutcome.Enrolled => TypedResults.Created("/api/me/courses", new EnrollmentView(id!.Value, slug)),
            EnrollOutcome.AlreadyEnrolled => TypedResults.Ok(new EnrollmentView(id!.Value, slug)),
            EnrollOutcome.MustBuy => TypedResults.Problem(statusCode: StatusCodes.Status402PaymentRequired, title: "Paid course",
                detail: "This course is sold: buying its product enrols you once the payment is confirmed."),
            _ => Problems.NotFound("No such course."),
        };
    }

    private static async Task<Results<Ok<LessonView>, ProblemHttpResult>> LessonAsync(
        string slug, long lessonId, HttpContext http, CourseStore store, CancellationToken cancellationToken)
    {
        var userId = http.User.Identity?.IsAuthenticated == true && http.User.FindFirst(MestresClaims.UserId) is not null ? http.User.GetUserId() : 0;
        var lesson = CatalogValidation.IsSlug(slug) ? await store.LessonAsync(slug, lessonId, userId, cancellationToken) : null;
        if (lesson is null)
        {
            return Problems.NotFound("No such lesson.");
        }

        if (!CourseProgress.MayOpen(lesson.IsFree, lesson.EnrollmentId is not null))
        {
            return Problems.Forbidden("Enrol in the course to open this lesson.");
        }

        return TypedResults.Ok(new LessonView(
            lesson.Id, lesson.Title, MarkdownRenderer.ToSafeHtml(lesson.Content ?? ""), lesson.VideoUrl, lesson.DurationMinutes, lesson.IsRequired,
            lesson.Materials, lesson.LastPositionSeconds, lesson.IsCompleted));
    }

    /// <summary>
    /// Completion counts towards the course achievements after the commit, under an id derived from
    /// the enrolment: a retry that completes nothing new records nothing twice.
    /// </summary>
    private static async Task<Results<Ok<ProgressOutcome>, ProblemHttpResult>> ProgressAsync(
        string slug, long lessonId, LessonProgressInput body, HttpContext http, CourseStore store, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var userId = http.User.GetUserId();
        var outcome = CatalogValidation.IsSlug(slug)
            ? await store.ReportProgressAsync(slug, lessonId, userId, body.PositionSeconds!.Value, body.Completed ?? false, cancellationToken)
            : null;
        if (outcome is null)
        {
            return Problems.Forbidden("Only learners enrolled in this course can record progress in its lessons.");
        }

        if (outcome.CompletedAt is { } completedAt)
        {
            await CourseCompletionApi.RecordAchievementAsync(grains, userId, outcome.EnrollmentId, completedAt);
        }

        return TypedResults.Ok(outcome);
    }
}
