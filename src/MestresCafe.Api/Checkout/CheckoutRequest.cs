using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Orders;

namespace MestresCafe.Api.Checkout;

/// <summary>
/// The body of POST /api/checkout. Prices, lines and the user come from the server, never from here.
/// Its annotations are checked before the handler runs (AddValidation).
/// </summary>
public sealed record CheckoutRequest(
    AddressInput? ShippingAddress,
    AddressInput? BillingAddress,
    [PaymentMethodName] string? PaymentMethod,
    [StringLength(100, ErrorMessage = "At most {1} characters.")] string? CardToken,
    [CouponCodeShape] string? CouponCode,
    [ShippingMethodName] string? ShippingMethod,
    [Range(1, MestresCafe.Payments.Installments.MaxCount, ErrorMessage = "From {1} to {2}.")] int? Installments = null,
    [Range(1, long.MaxValue, ErrorMessage = "A saved card's id.")] long? SavedCardId = null) : IValidatableObject
{
    /// <summary>An address of the buyer's book (GET /api/me/addresses) instead of <see cref="ShippingAddress"/>.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "An address id.")]
    public long? ShippingAddressId { get; init; }

    /// <summary>An address of the buyer's book instead of <see cref="BillingAddress"/>.</summary>
    [Range(1, long.MaxValue, ErrorMessage = "An address id.")]
    public long? BillingAddressId { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ShippingAddress is null && ShippingAddressId is null)
        {
            yield return new ValidationResult("Required: an address or shippingAddressId.", ["shippingAddress"]);
        }

        if (ShippingAddress is not null && ShippingAddressId is not null)
        {
            yield return new ValidationResult("Either an address or shippingAddressId, not both.", ["shippingAddressId"]);
        }

        if (BillingAddress is not null && BillingAddressId is not null)
        {
            yield return new ValidationResult("Either an address or billingAddressId, not both.", ["billingAddressId"]);
        }

        // How many a card may take depends on the store's settings and the total: the order decides (422).
        if (Installments > 1 && CheckoutValidation.ParseMethod(PaymentMethod) != PaymentMethodKind.CreditCard)
        {
            yield return new ValidationResult("Only credit card payments take installments.", ["installments"]);
        }

        var card = CheckoutValidation.ParseMethod(PaymentMethod) == PaymentMethodKind.CreditCard;
        if (card && string.IsNullOrWhiteSpace(CardToken) == (SavedCardId is null))
        {
            yield return new ValidationResult("A credit card payment takes either a card token from the gateway or a saved card's id.", ["cardToken"]);
        }

        if (!card && SavedCardId is not null)
        {
            yield return new ValidationResult("Only credit card payments take a saved card.", ["savedCardId"]);
        }
    }
}

public sealed record AddressInput(
    [AddressLine(2, 120)] string? RecipientName,
    [AddressLine(2, 200)] string? Street,
    [AddressLine(1, 20)] string? Number,
    [StringLength(100, ErrorMessage = "At most {1} characters.")] string? Complement,
    [AddressLine(2, 100)] string? District,
    [AddressLine(2, 100)] string? City,
    [Required(ErrorMessage = CheckoutValidation.StateMessage), BrazilianState] string? State,
    [Required(ErrorMessage = CheckoutValidation.PostalCodeMessage), PostalCode] string? PostalCode,
    [StringLength(20, ErrorMessage = "At most {1} characters.")] string? Phone);

public static partial class CheckoutValidation
{
    public const string StateMessage = "A Brazilian state code (UF), e.g. SP.";
    public const string PostalCodeMessage = "A CEP of 8 digits, e.g. 01310-100.";

    internal static readonly string[] States =
        ["AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI", "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO"];

    /// <summary>The Idempotency-Key header (a header, so the handler checks it; the body is checked before the handler runs).</summary>
    public static Dictionary<string, string[]>? CheckIdempotencyKey(string? idempotencyKey) =>
        idempotencyKey is not null && IdempotencyKeyPattern().IsMatch(idempotencyKey)
            ? null
            : new() { [CheckoutApi.IdempotencyHeader] = ["The Idempotency-Key header is required: 8 to 100 letters, digits, dashes or underscores."] };

    public static PaymentMethodKind? ParseMethod(string? method) =>
        SnakeCaseNames.TryParse<PaymentMethodKind>(method, out var kind) ? kind : null;

    public static Address? ToAddress(AddressInput? input) => input is null ? null : new Address(
        input.RecipientName!.Trim(), input.Street!.Trim(), input.Number!.Trim(), input.Complement?.Trim(), input.District!.Trim(),
        input.City!.Trim(), input.State!.Trim().ToUpperInvariant(), Digits(input.PostalCode!), input.Phone?.Trim());

    /// <summary>Identifies the body: the same Idempotency-Key with another body is refused.</summary>
    public static string Hash(CheckoutRequest request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, JsonSerializerOptions.Web))));

    internal static string Digits(string value) => new(value.Where(char.IsAsciiDigit).ToArray());

    [GeneratedRegex("^[A-Za-z0-9_-]{8,100}$")]
    internal static partial Regex IdempotencyKeyPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,50}$")]
    internal static partial Regex CouponPattern();
}

/// <summary>A required line of an address: present, not blank, <c>min</c> to <c>max</c> characters.</summary>
public sealed class AddressLineAttribute : RequiredAttribute
{
    private readonly int _min;
    private readonly int _max;

    public AddressLineAttribute(int min, int max)
    {
        (_min, _max) = (min, max);
        ErrorMessage = $"Required, {min} to {max} characters.";
    }

    public int Minimum => _min;

    public int Maximum => _max;

    public override bool IsValid(object? value) => value is string text && !string.IsNullOrWhiteSpace(text) && text.Trim().Length >= _min && text.Length <= _max;
}

/// <summary>A payment method the checkout takes; required.</summary>
public sealed class PaymentMethodNameAttribute : RequiredAttribute
{
    public PaymentMethodNameAttribute() => ErrorMessage = $"Must be {SnakeCaseNames.Choices<PaymentMethodKind>()}.";

    public override bool IsValid(object? value) => CheckoutValidation.ParseMethod(value as string) is not null;
}

public sealed class BrazilianStateAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => CheckoutValidation.States.Contains(value.Trim().ToUpperInvariant()) ? null : CheckoutValidation.StateMessage;
}

public sealed class PostalCodeAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) =>
        CheckoutValidation.Digits(value).Length == 8 && value.Length <= 9 ? null : CheckoutValidation.PostalCodeMessage;
}

public sealed class CouponCodeShapeAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) =>
        CheckoutValidation.CouponPattern().IsMatch(value) ? null : "Letters, digits, dashes or underscores, at most 50.";
}

public sealed class ShippingMethodNameAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => ShippingMethods.All.Contains(value) ? null : "Must be pac, sedex or pickup.";
}
