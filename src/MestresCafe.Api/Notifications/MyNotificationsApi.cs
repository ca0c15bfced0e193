using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Security;
using MestresCafe.Data.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Notifications;

/// <summary>/api/me/notifications: the signed-in user's own notifications (order, payment, shipping, account); the user is always the caller.</summary>
public static class MyNotificationsApi
{
    private const int MaxPageSize = 100;

    public static RouteGroupBuilder MapMyNotificationsApi(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/me/notifications").WithTags("Accounts").RequireAuthorization();
        notifications.MapGet("/", ListAsync)
            .WithName("ListMyNotifications")
            .WithSummary("The signed-in user's notifications, newest first, with the total and the unread count.");
        notifications.MapPost("/{id:long}/read", MarkReadAsync)
            .WithName("MarkMyNotificationRead")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Marks one notification read.");
        notifications.MapPost("/read-all", MarkAllReadAsync)
            .WithName("MarkAllMyNotificationsRead")
            .WithSummary("Marks every unread notification read; answers how many were.");
        return notifications;
    }

    private static async Task<Results<Ok<MyNotificationPage>, ValidationProblem>> ListAsync(
        MyNotificationsStore store, HttpContext http, CancellationToken cancellationToken,
        [Range(1, 100_000, ErrorMessage = "Pages start at 1.")] int page = 1,
        [Range(1, MaxPageSize, ErrorMessage = "Between 1 and {2}.")] int pageSize = 20) =>
        TypedResults.Ok(await store.ListAsync(http.User.GetUserId(), page, pageSize, cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> MarkReadAsync(long id, MyNotificationsStore store, HttpContext http, CancellationToken cancellationToken) =>
        await store.MarkReadAsync(http.User.GetUserId(), id, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No notification {id}.");

    private static async Task<Ok<MarkedRead>> MarkAllReadAsync(MyNotificationsStore store, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(new MarkedRead(await store.MarkAllReadAsync(http.User.GetUserId(), cancellationToken)));
}

public sealed record MarkedRead(int Marked);
