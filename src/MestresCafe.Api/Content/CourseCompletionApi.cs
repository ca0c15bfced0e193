using MestresCafe.Api.Security;
using MestresCafe.Data.Content;
using MestresCafe.Loyalty;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Content;

public sealed record CourseCompletionView(long CourseId, long EnrollmentId, DateTimeOffset CompletedAt);

/// <summary>
/// /api/content/courses/{id}/complete: the signed-in customer completes a course they are enrolled
/// in (or bought), which counts once towards course achievements.
/// </summary>
public static class CourseCompletionApi
{
    public static RouteGroupBuilder MapCourseCompletionApi(this RouteGroupBuilder api)
    {
        var content = api.MapGroup("/content").WithTags("Content");
        content.MapPost("/courses/{id:long}/complete", CompleteAsync)
            .RequirePermission("courses:read_own")
            .WithName("CompleteCourse")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Marks a course you are enrolled in (or bought) as completed; repeating it changes nothing.");
        return content;
    }

    /// <summary>
    /// Counts a completed enrolment for the learner's course achievements, under an id derived from
    /// the enrolment, so that sending it again (a retried request) counts nothing twice.
    /// </summary>
    public static Task RecordAchievementAsync(IGrainFactory grains, long userId, long enrollmentId, DateTimeOffset completedAt) =>
        grains.GetGrain<ILoyaltyAccountGrain>(userId).RecordActivityAsync(new LoyaltyActivity(
            LoyaltyActivities.EventIdFor(LoyaltyActivities.CourseCompleted, enrollmentId), completedAt, LoyaltyActivities.CourseCompleted));

    private static async Task<Results<Ok<CourseCompletionView>, ProblemHttpResult>> CompleteAsync(
        long id, HttpContext http, CourseCompletionStore store, IGrainFactory grains)
    {
        var userId = http.User.GetUserId();
        var (outcome, completion) = await store.CompleteAsync(userId, id, http.RequestAborted);
        switch (outcome)
        {
            case CourseCompletionOutcome.CourseNotFound:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such course.");
            case CourseCompletionOutcome.NotEnrolled:
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not enrolled", detail: "Only customers enrolled in the course can complete it.");
        }

        // After the commit; a retry of this request completes nothing new and re-sends the same activity id.
        await RecordAchievementAsync(grains, userId, completion!.EnrollmentId, completion.CompletedAt);
        return TypedResults.Ok(new CourseCompletionView(completion.CourseId, completion.EnrollmentId, completion.CompletedAt));
    }
}
