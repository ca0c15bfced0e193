using MestresCafe.Api.Payments;
using MestresCafe.Api.RateLimiting;
using MestresCafe.Data.Payments;
using MestresCafe.Payments;
using MestresCafe.Api.Security;
using MestresCafe.Cart;
using MestresCafe.Coupons;
using MestresCafe.Customers;
using MestresCafe.Data.Customers;
using MestresCafe.Api.Orders;
using MestresCafe.Orders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Checkout;

public static class CheckoutApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>
    /// The permission to buy, granted to the customer role: staff accounts (admin, manager, support)
    /// do not buy with their back-office identity, and a store can suspend one account's buying.
    /// </summary>
    public const string CreatePermission = "orders:create";

    public static void MapCheckoutApi(this RouteGroupBuilder api)
    {
        api.MapPost("/checkout", CheckoutAsync)
            .RequirePermission(CreatePermission)
            .RequireRateLimiting(RateLimitPolicies.Checkout)
            .WithTags("Checkout")
            .WithName("Checkout")
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Turns the signed-in customer's cart into an order: reserves stock, holds the coupon, creates the payment.")
            .WithDescription("Idempotent by the Idempotency-Key header: a retry returns the same order and charges once; the same key with another body is a 422. shippingAddressId/billingAddressId take an address of the buyer's book (GET /api/me/addresses) instead of the address itself; an id not in the book is a 404. paymentMethod invoice (\"faturado\") is for company accounts approved for payment terms: the order is confirmed unpaid, its invoice due after the terms (paymentDueAt); 422 when the account is not approved, 409 past its credit limit or with an invoice overdue. A member of customer groups buys under every current group's conditions (minimumOrderAmount of merchandise at the group's prices, allowed paymentMethods): 422 GroupConditionsRefused otherwise.");
    }

    private static async Task<Results<Created<OrderView>, ValidationProblem, ProblemHttpResult>> CheckoutAsync(
        CheckoutRequest request,
        [FromHeader(Name = IdempotencyHeader)] string? idempotencyKey,
        HttpContext http,
        IGrainFactory grains,
        CustomerAddressStore addressBook,
        CustomerPaymentMethodStore savedCards,
        TimeProvider clock)
    {
        if (CheckoutValidation.CheckIdempotencyKey(idempotencyKey) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var userId = http.User.GetUserId();
        var (shippingAddress, billingAddress) = (CheckoutValidation.ToAddress(request.ShippingAddress), CheckoutValidation.ToAddress(request.BillingAddress));
        if (request.ShippingAddressId is { } shippingId
            && (shippingAddress = await FromBookAsync(addressBook, userId, shippingId, http.RequestAborted)) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such address", detail: "shippingAddressId is not an address of your book.");
        }

        if (request.BillingAddressId is { } billingId
            && (billingAddress = await FromBookAsync(addressBook, userId, billingId, http.RequestAborted)) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such address", detail: "billingAddressId is not an address of your book.");
        }

        var cardToken = request.CardToken;
        if (request.SavedCardId is { } savedCardId)
        {
            // Only the owner's card is found: another customer's id is a 404, like an id that does not exist.
            if (await savedCards.ForPaymentAsync(http.User.GetUserId(), savedCardId, http.RequestAborted) is not { } saved)
            {
                return MyPaymentMethodsApi.NotFound();
            }

            if (CardRules.IsExpired(saved.ExpiryMonth, saved.ExpiryYear, clock.GetUtcNow()))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The saved card has expired",
                    detail: $"The card expired at the end of {saved.ExpiryMonth:00}/{saved.ExpiryYear}: pay with another card or method.");
            }

            cardToken = saved.Token;
        }

        // Only what the customer asked: the order grain reads the cart, prices from the catalog and
        // leaves the coupon's decision to the coupon grain.
        var command = new CheckoutCommand(
            userId,
            idempotencyKey!,
            CheckoutValidation.Hash(request),
            request.CouponCode?.Trim().ToUpperInvariant(),
            CheckoutValidation.ParseMethod(request.PaymentMethod)!.Value,
            cardToken,
            shippingAddress!,
            billingAddress,
            request.ShippingMethod ?? ShippingMethods.Pac,
            CartKey.ForUser(userId))
        {
            Installments = request.Installments ?? 1,
        };

        var order = grains.GetGrain<IOrderGrain>(OrderNumberFor(userId, idempotencyKey!));
        var result = await order.CheckoutAsync(command);
        CheckoutMetrics.Record(result);
        return result.Outcome switch
        {
            CheckoutOutcome.Created => TypedResults.Created($"/api/orders/{result.Order!.OrderNumber}", OrderView.From(result.Order)),
            CheckoutOutcome.KeyReusedWithAnotherBody => Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused", result),
            CheckoutOutcome.InsufficientStock => Problem(StatusCodes.Status409Conflict, "Insufficient stock", result),
            CheckoutOutcome.HoldLimitReached => Problem(StatusCodes.Status409Conflict, "Too many units held by unpaid orders", result),
            CheckoutOutcome.PaymentDeclined => Problem(StatusCodes.Status402PaymentRequired, "Payment declined", result),
            CheckoutOutcome.CouponRefused => CouponProblem(result),
            CheckoutOutcome.PaymentTermsRefused => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Payment terms refused", detail: result.Detail,
                extensions: new Dictionary<string, object?> { ["outcome"] = result.Outcome.ToString(), ["reason"] = result.PaymentRefusal?.ToString() }),
            CheckoutOutcome.CreditRefused => CreditProblem(result),
            CheckoutOutcome.GroupConditionsRefused => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Customer group conditions not met", detail: result.Detail,
                extensions: new Dictionary<string, object?> { ["outcome"] = result.Outcome.ToString(), ["reason"] = result.GroupRefusal?.ToString() }),
            _ => Problem(StatusCodes.Status422UnprocessableEntity, "Checkout refused", result),
        };
    }

    /// <summary>
    /// An invoiced order the account's credit refused: a 422 when the account may not buy on invoice
    /// at all, a 409 when it may but not now (over its limit, or an invoice overdue).
    /// </summary>
    private static ProblemHttpResult CreditProblem(CheckoutResult result) => TypedResults.Problem(
        statusCode: result.CreditRefusal == CreditRefusal.NotApproved ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict,
        title: result.CreditRefusal switch
        {
            CreditRefusal.NotApproved => "Invoiced payment not available",
            CreditRefusal.InvoiceOverdue => "An invoice is overdue",
            _ => "Credit limit exceeded",
        },
        detail: result.Detail,
        extensions: new Dictionary<string, object?> { ["outcome"] = result.Outcome.ToString(), ["reason"] = result.CreditRefusal?.ToString() });

    /// <summary>The coupon grain's typed refusal, mapped to HTTP here and only here.</summary>
    private static ProblemHttpResult CouponProblem(CheckoutResult result) => result.CouponOutcome switch
    {
        CouponHoldOutcome.EmailNotVerified => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Verify your e-mail first",
            detail: "This coupon is for a first order and needs a verified e-mail: open the confirmation link we sent "
                + "(POST /api/me/email-verification sends a new one), then check out again.",
            extensions: new Dictionary<string, object?> { ["outcome"] = result.Outcome.ToString(), ["reason"] = nameof(CouponHoldOutcome.EmailNotVerified) }),
        CouponHoldOutcome.UsageLimitReached or CouponHoldOutcome.CustomerLimitReached or CouponHoldOutcome.OtherCustomer =>
            Problem(StatusCodes.Status409Conflict, "Coupon not available", result),
        _ => Problem(StatusCodes.Status422UnprocessableEntity, "Checkout refused", result),
    };

    /// <summary>An address of the buyer's own book (another customer's id is not found, as one that does not exist).</summary>
    private static async Task<Address?> FromBookAsync(CustomerAddressStore addressBook, long userId, long id, CancellationToken cancellationToken) =>
        await addressBook.FindForUserAsync(userId, id, cancellationToken) is { } a
            ? new Address(a.RecipientName, a.Street, a.Number, a.Complement, a.District, a.City, a.State, a.PostalCode, a.Phone)
            : null;

    /// <summary>The order grain's key: a pure function of the user and the key, so retries meet the same grain.</summary>
    public static string OrderNumberFor(long userId, string idempotencyKey) =>
        MestresCafe.Orders.OrderNumbers.For(userId, idempotencyKey);

    private static ProblemHttpResult Problem(int status, string title, CheckoutResult result) =>
        TypedResults.Problem(statusCode: status, title: title, detail: result.Detail,
            extensions: new Dictionary<string, object?>
            {
                ["outcome"] = result.Outcome.ToString(),
                ["lines"] = result.Problems.Select(p => new { sku = p.Sku, reason = p.Reason, available = p.Available }).ToList(),
            });
}
