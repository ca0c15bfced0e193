using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Checkout;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Payments;

/// <summary>
/// The simulated gateway's card tokenization, the call a buyer's browser makes to a real gateway
/// with the card number: the answer is a token and what the gateway lets a store know (brand, last
/// four digits, expiry). The number and the security code are checked and forgotten here; nothing
/// of them is logged or stored.
/// </summary>
public static class SimulatedGatewayApi
{
    public static RouteGroupBuilder MapSimulatedGatewayApi(this RouteGroupBuilder api)
    {
        api.MapPost("/payments/simulated/card-tokens", Issue)
            .AllowAnonymous()
            .WithTags("Payments")
            .WithName("SimulatedCardToken")
            .WithSummary("The simulated gateway: a token for a card number (Luhn-checked, brand from its digits, not expired).");
        return api;
    }

    private static Ok<CardTokenView> Issue(CardTokenRequest request, IOptions<PaymentOptions> payments)
    {
        var digits = CheckoutValidation.Digits(request.Number!);
        var details = new CardTokenDetails(CardRules.BrandOf(digits)!, digits[^4..], request.ExpiryMonth!.Value, request.ExpiryYear!.Value);
        return TypedResults.Ok(new CardTokenView(SimulatedCardTokens.Issue(payments.Value.WebhookSecret!, details), details.Brand, details.LastFour, details.ExpiryMonth, details.ExpiryYear));
    }
}

public sealed record CardTokenRequest(
    [Required(ErrorMessage = "Required."), GatewayCardNumber] string? Number,
    [Required(ErrorMessage = "Required."), Range(1, 12, ErrorMessage = "From {1} to {2}.")] int? ExpiryMonth,
    [Required(ErrorMessage = "Required."), Range(2000, 2099, ErrorMessage = "From {1} to {2}.")] int? ExpiryYear,
    [Required(ErrorMessage = "Required."), RegularExpression("^[0-9]{3,4}$", ErrorMessage = "3 or 4 digits.")] string? Cvv) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var clock = (TimeProvider?)validationContext.GetService(typeof(TimeProvider)) ?? TimeProvider.System;
        if (CardRules.IsExpired(ExpiryMonth!.Value, ExpiryYear!.Value, clock.GetUtcNow()))
        {
            yield return new ValidationResult("The card has expired.", ["expiryYear"]);
        }
    }
}

public sealed record CardTokenView(string Token, string Brand, string LastFour, int ExpiryMonth, int ExpiryYear);

/// <summary>A card number of a brand the gateway takes, with its check digit right; spaces and dashes allowed.</summary>
public sealed class GatewayCardNumberAttribute : RuleAttribute<string>
{
    protected override string? Check(string value)
    {
        var digits = CheckoutValidation.Digits(value);
        return value.Length <= 30 && value.All(c => char.IsAsciiDigit(c) || c is ' ' or '-') && CardRules.IsValidNumber(digits) && CardRules.BrandOf(digits) is not null
            ? null
            : $"A card number of {string.Join(", ", CardRules.Brands)}.";
    }
}
