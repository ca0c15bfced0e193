using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Payments;
using MestresCafe.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Payments;

/// <summary>
/// /api/me/payment-methods: the signed-in customer's saved cards. A card is saved by the token the
/// gateway issued for it, never by its number; the customer sees brand, last four digits and
/// expiry. Another customer's card id answers 404 everywhere, as an id that does not exist.
/// </summary>
public static class MyPaymentMethodsApi
{
    public static RouteGroupBuilder MapMyPaymentMethodsApi(this RouteGroupBuilder api)
    {
        var cards = api.MapGroup("/me/payment-methods").WithTags("Accounts").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status404NotFound);
        cards.MapGet("/", ListAsync).WithName("ListMyPaymentMethods").WithSummary("My saved cards: brand, last four digits, expiry; the default first.");
        cards.MapPost("/", SaveAsync).WithName("SaveMyPaymentMethod")
            .WithSummary("Saves a card by the gateway's token; my first card, or one sent with makeDefault, becomes the default.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cards.MapPost("/{id:long}/default", SetDefaultAsync).WithName("SetMyDefaultPaymentMethod").WithSummary("Makes one of my saved cards the default.");
        cards.MapDelete("/{id:long}", DeleteAsync).WithName("DeleteMyPaymentMethod").WithSummary("Deletes one of my saved cards.");
        return cards;
    }

    private static async Task<Ok<IReadOnlyList<SavedCardView>>> ListAsync(HttpContext http, CustomerPaymentMethodStore store, TimeProvider clock) =>
        TypedResults.Ok<IReadOnlyList<SavedCardView>>((await store.ListAsync(http.User.GetUserId(), http.RequestAborted))
            .Select(card => SavedCardView.From(card, clock.GetUtcNow())).ToList());

    private static async Task<Results<Created<SavedCardView>, ProblemHttpResult>> SaveAsync(
        SaveCardRequest request, HttpContext http, CustomerPaymentMethodStore store, IOptions<PaymentOptions> payments, TimeProvider clock)
    {
        // The gateway says what card the token stands for; the client is never asked.
        if (SimulatedCardTokens.Read(payments.Value.WebhookSecret!, request.Token!.Trim()) is not { } card)
        {
            return Problems.Unprocessable("token", "Not a card token issued by the payment gateway.");
        }

        var now = clock.GetUtcNow();
        if (CardRules.IsExpired(card.ExpiryMonth, card.ExpiryYear, now))
        {
            return Problems.Unprocessable("token", "The card has expired.");
        }

        var saved = await store.AddAsync(http.User.GetUserId(), request.Token.Trim(), card, request.MakeDefault == true, http.RequestAborted);
        return TypedResults.Created($"/api/me/payment-methods/{saved.Id}", SavedCardView.From(saved, now));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDefaultAsync(long id, HttpContext http, CustomerPaymentMethodStore store) =>
        await store.SetDefaultAsync(http.User.GetUserId(), id, http.RequestAborted) ? TypedResults.NoContent() : NotFound();

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(long id, HttpContext http, CustomerPaymentMethodStore store) =>
        await store.DeleteAsync(http.User.GetUserId(), id, http.RequestAborted) ? TypedResults.NoContent() : NotFound();

    /// <summary>The one answer for a card that is not the caller's, whether it exists or not.</summary>
    public static ProblemHttpResult NotFound() => Problems.NotFound("No such saved card.");
}

public sealed record SaveCardRequest(
    [Required(ErrorMessage = "Required."), StringLength(500, ErrorMessage = "At most {1} characters.")] string? Token,
    bool? MakeDefault);

public sealed record SavedCardView(long Id, string Type, string Brand, string LastFour, int ExpiryMonth, int ExpiryYear, bool IsDefault, bool Expired, DateTimeOffset CreatedAt)
{
    public static SavedCardView From(SavedCard card, DateTimeOffset now) => new(
        card.Id, card.Type, card.Brand, card.LastFour, card.ExpiryMonth, card.ExpiryYear, card.IsDefault,
        CardRules.IsExpired(card.ExpiryMonth, card.ExpiryYear, now), card.CreatedAt);
}
