using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Data.TextMessages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.TextMessages;

/// <summary>
/// /api/me/notification-preferences/text-channel: whether the signed-in customer also gets texts
/// (SMS or WhatsApp) to the phone on their account, beside the e-mails. Off until chosen; optional
/// categories turned off stay off on every channel.
/// </summary>
public static class TextChannelPreferenceApi
{
    public static RouteGroupBuilder MapTextChannelPreferenceApi(this RouteGroupBuilder api)
    {
        var channel = api.MapGroup("/me/notification-preferences/text-channel").WithTags("Accounts").RequireAuthorization();
        channel.MapGet("/", GetAsync)
            .WithName("GetMyTextChannel")
            .WithSummary("The text channel chosen (sms, whatsapp or null for e-mail only) and the phone texts go to.");
        channel.MapPut("/", PutAsync)
            .WithName("SetMyTextChannel")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Chooses sms or whatsapp (the account needs a phone: 422 otherwise), or null to stop texts.");
        return channel;
    }

    private static async Task<Ok<TextChannelChoice>> GetAsync(TextMessagePreferencesStore store, HttpContext http, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.GetAsync(http.User.GetUserId(), cancellationToken) ?? new TextChannelChoice(null, null));

    private static async Task<Results<Ok<TextChannelChoice>, ProblemHttpResult, ValidationProblem>> PutAsync(
        TextChannelUpdate update, TextMessagePreferencesStore store, HttpContext http, CancellationToken cancellationToken) =>
        await store.SaveAsync(http.User.GetUserId(), update.Channel, cancellationToken) is { } saved
            ? TypedResults.Ok(saved)
            : TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No phone",
                detail: "Add a phone number to your account (PATCH /api/me) before choosing texts.");
}

/// <param name="Channel">sms, whatsapp, or null for e-mail only.</param>
public sealed record TextChannelUpdate([OneOf("sms", "whatsapp", Optional = true)] string? Channel);
