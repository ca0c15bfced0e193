using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Data.Notifications;
using MestresCafe.Notifications;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Notifications;

/// <summary>
/// /api/me/notification-preferences: which optional notifications the signed-in customer gets
/// (<see cref="NotificationCategories.Optional"/>); transactional messages always go and are not listed.
/// </summary>
public static class NotificationPreferencesApi
{
    public static RouteGroupBuilder MapNotificationPreferencesApi(this RouteGroupBuilder api)
    {
        var preferences = api.MapGroup("/me/notification-preferences").WithTags("Accounts").RequireAuthorization();
        preferences.MapGet("/", GetAsync)
            .WithName("GetMyNotificationPreferences")
            .WithSummary("Each optional notification category and whether the signed-in customer gets it (on unless turned off).");
        preferences.MapPut("/", PutAsync)
            .WithName("SetMyNotificationPreferences")
            .WithSummary("Turns optional categories on or off; categories left out keep their choice. Transactional messages cannot be turned off.");
        return preferences;
    }

    private static async Task<Ok<NotificationPreferences>> GetAsync(NotificationPreferencesStore store, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(new NotificationPreferences(await store.GetAsync(http.User.GetUserId(), cancellationToken)));

    private static async Task<Results<Ok<NotificationPreferences>, ValidationProblem>> PutAsync(
        NotificationPreferencesUpdate update, NotificationPreferencesStore store, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(new NotificationPreferences(await store.SaveAsync(
            http.User.GetUserId(), update.Preferences.Select(p => new NotificationPreference(p.Category, p.Enabled!.Value)).ToList(), cancellationToken)));
}

public sealed record NotificationPreferences(IReadOnlyList<NotificationPreference> Preferences);

public sealed record NotificationPreferencesUpdate([Required, MinLength(1), MaxLength(20)] IReadOnlyList<NotificationPreferenceChange> Preferences);

public sealed record NotificationPreferenceChange([Required, NotificationCategory] string Category, [Required] bool? Enabled);

/// <summary>An optional notification category (<see cref="NotificationCategories.Optional"/>); 'transactional' is not one.</summary>
public sealed class NotificationCategoryAttribute() : OneOfAttribute(NotificationCategories.Optional, "One of");
