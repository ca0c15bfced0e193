using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MestresCafe.Orders;

namespace MestresCafe.Api.Checkout;

/// <summary>The body of POST /api/checkout. Prices, lines and the user come from the server, never from here.</summary>
public sealed record CheckoutRequest(
    AddressInput? ShippingAddress,
    AddressInput? BillingAddress,
    string? PaymentMethod,
    string? CardToken,
    string? CouponCode,
    string? ShippingMethod);

public sealed record AddressInput(
    string? RecipientName, string? Street, string? Number, string? Complement, string? District,
    string? City, string? State, string? PostalCode, string? Phone);

public static partial class CheckoutValidation
{
    private static readonly string[] States =
        ["AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"];

    public static Dictionary<string, string[]> Validate(CheckoutRequest request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        if (idempotencyKey is null || !IdempotencyKeyPattern().IsMatch(idempotencyKey))
        {
            errors["Idempotency-Key"] = ["The Idempotency-Key header is required: 8 to 100 letters, digits, dashes or underscores."];
        }

        ValidateAddress(request.ShippingAddress, "shippingAddress", errors, required: true);
        ValidateAddress(request.BillingAddress, "billingAddress", errors, required: false);
        if (ParseMethod(request.PaymentMethod) is null)
        {
            errors["paymentMethod"] = [$"Must be {SnakeCaseNames.Choices<PaymentMethodKind>()}."];
        }
        else if (ParseMethod(request.PaymentMethod) == PaymentMethodKind.CreditCard && string.IsNullOrWhiteSpace(request.CardToken))
        {
            errors["cardToken"] = ["A card token from the gateway is required for credit card payments."];
        }

        if (request.CardToken is { Length: > 100 })
        {
            errors["cardToken"] = ["At most 100 characters."];
        }

        if (request.CouponCode is { } code && !CouponPattern().IsMatch(code))
        {
            errors["couponCode"] = ["Letters, digits, dashes or underscores, at most 50."];
        }

        if (request.ShippingMethod is { } method && !ShippingMethods.All.Contains(method))
        {
            errors["shippingMethod"] = ["Must be pac, sedex or pickup."];
        }

        return errors;
    }

    public static PaymentMethodKind? ParseMethod(string? method) =>
        SnakeCaseNames.TryParse<PaymentMethodKind>(method, out var kind) ? kind : null;

    public static Address? ToAddress(AddressInput? input) => input is null ? null : new Address(
        input.RecipientName!.Trim(), input.Street!.Trim(), input.Number!.Trim(), input.Complement?.Trim(), input.District!.Trim(),
        input.City!.Trim(), input.State!.Trim().ToUpperInvariant(), Digits(input.PostalCode!), input.Phone?.Trim());

    /// <summary>Identifies the body: the same Idempotency-Key with another body is refused.</summary>
    public static string Hash(CheckoutRequest request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, JsonSerializerOptions.Web))));

    private static void ValidateAddress(AddressInput? address, string field, Dictionary<string, string[]> errors, bool required)
    {
        if (address is null)
        {
            if (required)
            {
                errors[field] = ["Required."];
            }

            return;
        }

        Check(address.RecipientName, 2, 120, $"{field}.recipientName");
        Check(address.Street, 2, 200, $"{field}.street");
        Check(address.Number, 1, 20, $"{field}.number");
        Check(address.District, 2, 100, $"{field}.district");
        Check(address.City, 2, 100, $"{field}.city");
        if (address.Complement is { Length: > 100 })
        {
            errors[$"{field}.complement"] = ["At most 100 characters."];
        }

        if (address.State is null || !States.Contains(address.State.Trim().ToUpperInvariant()))
        {
            errors[$"{field}.state"] = ["A Brazilian state code (UF), e.g. SP."];
        }

        if (address.PostalCode is null || Digits(address.PostalCode).Length != 8 || address.PostalCode.Length > 9)
        {
            errors[$"{field}.postalCode"] = ["A CEP of 8 digits, e.g. 01310-100."];
        }

        if (address.Phone is { Length: > 20 })
        {
            errors[$"{field}.phone"] = ["At most 20 characters."];
        }

        void Check(string? value, int min, int max, string name)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < min || value.Length > max)
            {
                errors[name] = [$"Required, {min} to {max} characters."];
            }
        }
    }

    private static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());

    [GeneratedRegex("^[A-Za-z0-9_-]{8,100}$")]
    private static partial Regex IdempotencyKeyPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,50}$")]
    private static partial Regex CouponPattern();
}
