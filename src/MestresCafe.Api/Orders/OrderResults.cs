using MestresCafe.Orders;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MestresCafe.Api.Orders;

internal static class OrderResults
{
    /// <summary>Maps a grain transition to HTTP: illegal moves are 409s, never 500s.</summary>
    public static Results<Ok<OrderView>, ProblemHttpResult> From(TransitionResult result) => result.Outcome switch
    {
        TransitionOutcome.Done => TypedResults.Ok(OrderView.From(result.Order!)),
        TransitionOutcome.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Detail),
        TransitionOutcome.IllegalTransition => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Illegal status transition", detail: result.Detail),
        TransitionOutcome.Invalid => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid request", detail: result.Detail),
        TransitionOutcome.Forbidden => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Detail),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Payment gateway failure", detail: result.Detail),
    };

    public static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No such order.");
}
