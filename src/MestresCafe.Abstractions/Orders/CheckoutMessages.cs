using MestresCafe.Coupons;

namespace MestresCafe.Orders;

[GenerateSerializer, Alias("mc.PaymentMethodKind")]
public enum PaymentMethodKind
{
    Pix = 0,
    CreditCard = 1,
    Boleto = 2,
    /// <summary>"Faturado": an approved company account's order on its payment terms, paid by invoice (boleto) by its due date.</summary>
    Invoice = 3,
}

/// <summary>Correios PAC (economy), SEDEX (express), or pickup at the roastery.</summary>
public static class ShippingMethods
{
    public const string Pac = "pac";
    public const string Sedex = "sedex";
    public const string Pickup = "pickup";

    public static readonly IReadOnlyList<string> All = [Pac, Sedex, Pickup];
}

[GenerateSerializer, Alias("mc.Address")]
public sealed record Address(
    [property: Id(0)] string RecipientName,
    [property: Id(1)] string Street,
    [property: Id(2)] string Number,
    [property: Id(3)] string? Complement,
    [property: Id(4)] string District,
    [property: Id(5)] string City,
    [property: Id(6)] string State,
    [property: Id(7)] string PostalCode,
    [property: Id(8)] string? Phone)
{
    /// <summary>
    /// What an LGPD erasure leaves of an address: the city and state, which the order's taxes
    /// (ICMS by destination state) and sales reports need; nothing that points at a person.
    /// </summary>
    public Address WithoutPersonalData() => new("", "", "", null, "", City, State, "", null);
}

[GenerateSerializer, Alias("mc.CheckoutLine")]
public sealed record CheckoutLine([property: Id(0)] string Sku, [property: Id(1)] int Quantity);

/// <summary>
/// What the customer asked for, as the API read it from the signed-in user and the request body:
/// the lines come from the cart named by <see cref="CartKey"/>, which the order grain reads (and
/// clears once the order exists), and prices from the catalog. <see cref="RequestHash"/> identifies
/// the body: the same idempotency key with another body is refused.
/// </summary>
[GenerateSerializer, Alias("mc.CheckoutCommand")]
public sealed record CheckoutCommand(
    [property: Id(0)] long UserId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] string RequestHash,
    [property: Id(4)] string? CouponCode,
    [property: Id(5)] PaymentMethodKind PaymentMethod,
    [property: Id(6)] string? CardToken,
    [property: Id(7)] Address ShippingAddress,
    [property: Id(8)] Address? BillingAddress,
    [property: Id(9)] string ShippingMethod,
    [property: Id(10)] string CartKey)
{
    /// <summary>Card installments asked for; 1 for every other method.</summary>
    [Id(11)] public int Installments { get; init; } = 1;
}

[GenerateSerializer, Alias("mc.CheckoutOutcome")]
public enum CheckoutOutcome
{
    Created = 0,
    /// <summary>The same key was used before with another body.</summary>
    KeyReusedWithAnotherBody = 1,
    EmptyCart = 2,
    InvalidLines = 3,
    InsufficientStock = 4,
    CouponRefused = 5,
    PaymentDeclined = 6,
    /// <summary>The customer's unpaid orders already hold as many units of a line's item as they may.</summary>
    HoldLimitReached = 7,
    /// <summary>The payment method is not offered for this order, or not in the installments asked (<see cref="CheckoutResult.PaymentRefusal"/>).</summary>
    PaymentTermsRefused = 8,
    /// <summary>The account may not buy on invoice now: not approved, over its credit limit, or with an overdue invoice (<see cref="CheckoutResult.CreditRefusal"/>).</summary>
    CreditRefused = 9,
    /// <summary>A customer group's conditions refuse the order: below its minimum, or a method its members may not use (<see cref="CheckoutResult.GroupRefusal"/>).</summary>
    GroupConditionsRefused = 10,
}

[GenerateSerializer, Alias("mc.CheckoutProblem")]
public sealed record CheckoutProblem(
    [property: Id(0)] string Sku,
    [property: Id(1)] string Reason,
    [property: Id(2)] int? Available);

[GenerateSerializer, Alias("mc.CheckoutResult")]
public sealed record CheckoutResult(
    [property: Id(0)] CheckoutOutcome Outcome,
    [property: Id(1)] OrderSnapshot? Order,
    [property: Id(2)] IReadOnlyList<CheckoutProblem> Problems,
    [property: Id(3)] string? Detail)
{
    /// <summary>Why the coupon grain refused the coupon, when <see cref="Outcome"/> is <see cref="CheckoutOutcome.CouponRefused"/>.</summary>
    [Id(4)] public CouponHoldOutcome? CouponOutcome { get; init; }

    /// <summary>Why the payment method's terms refused the order, when <see cref="Outcome"/> is <see cref="CheckoutOutcome.PaymentTermsRefused"/>.</summary>
    [Id(5)] public MestresCafe.Payments.PaymentTermsRefusal? PaymentRefusal { get; init; }

    /// <summary>Why the account's credit refused an invoiced order, when <see cref="Outcome"/> is <see cref="CheckoutOutcome.CreditRefused"/>.</summary>
    [Id(6)] public MestresCafe.Customers.CreditRefusal? CreditRefusal { get; init; }

    /// <summary>Which group condition refused the order, when <see cref="Outcome"/> is <see cref="CheckoutOutcome.GroupConditionsRefused"/>.</summary>
    [Id(7)] public MestresCafe.Customers.GroupConditionRefusal? GroupRefusal { get; init; }
}
