using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Loyalty;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MestresCafe.Api.Loyalty;

internal static class LoyaltyResults
{
    /// <summary>Maps a refused loyalty operation to a problem: unknown things are 404s, rule refusals 409s or 422s.</summary>
    public static ProblemHttpResult Problem(LoyaltyResult result) => result.Outcome switch
    {
        LoyaltyOutcome.UnknownReward or LoyaltyOutcome.UnknownAchievement =>
            TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Detail),
        LoyaltyOutcome.InsufficientPoints or LoyaltyOutcome.AlreadyClaimed or LoyaltyOutcome.NotEarned or LoyaltyOutcome.NotEligible =>
            TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: result.Outcome.ToString(), detail: result.Detail),
        LoyaltyOutcome.Invalid => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid request", detail: result.Detail),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable", detail: result.Detail),
    };
}

public sealed record AdjustmentRequest(
    long UserId,
    [NonZero(ErrorMessage = AdjustmentRequest.PointsMessage), Range(-AdjustmentRequest.MaxPoints, AdjustmentRequest.MaxPoints, ErrorMessage = AdjustmentRequest.PointsMessage)] int Points,
    [Required(ErrorMessage = AdjustmentRequest.ReasonMessage), StringLength(200, ErrorMessage = AdjustmentRequest.ReasonMessage)] string? Reason)
{
    internal const int MaxPoints = 1_000_000;
    internal const string PointsMessage = "Non-zero, at most 1000000 either way.";
    internal const string ReasonMessage = "A reason of 1 to 200 characters is required.";
}
