using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Payments;
using MestresCafe.Payments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Payments;

/// <summary>
/// /api/admin/payment-methods: staff enable, disable, order and configure the payment methods
/// (Pix discount, card installments, boleto due days, order limits). Each change is audited and
/// reaches every server's checkout at once (<see cref="CachedPaymentMethods"/>).
/// </summary>
public static class PaymentMethodsAdminApi
{
    public const string ReadPermission = "payments:read";
    /// <summary>Payment terms are store configuration: the admin role's, like the system settings.</summary>
    public const string WritePermission = "settings:write";
    private const string Action = "payments.payment_method.update";

    public static RouteGroupBuilder MapPaymentMethodsAdminApi(this RouteGroupBuilder api)
    {
        var methods = api.MapGroup("/admin/payment-methods").WithTags("Payments").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        methods.MapGet("/", ListAsync).RequirePermission(ReadPermission)
            .WithName("ListPaymentMethods").WithSummary("Every payment method, active or not, in checkout order, with its settings.");
        methods.MapPatch("/{id:long}", UpdateAsync).RequirePermission(WritePermission)
            .WithName("UpdatePaymentMethod")
            .WithSummary("Enable or disable a method, move it, make it the default, or change its settings.")
            .WithDescription("configuration is a JSON merge patch of the stored settings (snake_case keys; null removes one): "
                + "discount_percentage (Pix), max_installments, interest_free_installments, monthly_interest_rate, min_installment_amount (card), "
                + "due_days (boleto), min_order_amount and max_order_amount (any). Settings that do not fit the method's type are a 422.");
        return methods;
    }

    private static async Task<Ok<IReadOnlyList<PaymentMethodView>>> ListAsync(PaymentMethodStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<PaymentMethodView>>((await store.GetAsync(cancellationToken)).Select(PaymentMethodView.From).ToList());

    private static async Task<Results<Ok<PaymentMethodView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, PaymentMethodChange body, HttpContext http, AuditedWriter writer, PaymentMethodStore store, CachedPaymentMethods cache)
    {
        PaymentMethodSettings? updated = null;
        var result = await writer.RunAsync(http, Action, "payment_methods", async (scope, ct) =>
        {
            var write = await store.UpdateAsync(scope, id, new PaymentMethodPatch(body.IsActive, body.IsDefault, body.SortOrder, body.Configuration), ct);
            if (write is null)
            {
                return WriteOutcome.Fail(Problems.NotFound("No such payment method."));
            }

            if (write.Errors is { } errors)
            {
                return WriteOutcome.Fail(TypedResults.Problem(new HttpValidationProblemDetails(errors)
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "The settings do not fit this payment method.",
                }));
            }

            updated = write.Method;
            return WriteOutcome.Done(write.Change);
        });

        switch (result.Problem)
        {
            case ValidationProblem validation:
                return validation;
            case ProblemHttpResult problem:
                return problem;
        }

        // After the commit, before the answer: no server's checkout uses the old terms once staff see the new ones.
        await cache.InvalidateAsync();
        return TypedResults.Ok(PaymentMethodView.From(updated!));
    }
}

/// <summary>The body of PATCH /api/admin/payment-methods/{id}: what is absent stays as it is.</summary>
public sealed record PaymentMethodChange(
    bool? IsActive,
    bool? IsDefault,
    [Range(0, 10_000, ErrorMessage = "From {1} to {2}.")] int? SortOrder,
    JsonObject? Configuration);

public sealed record PaymentMethodView(
    long Id, string Name, string Type, string Provider, bool IsActive, bool IsDefault, int SortOrder, PaymentMethodConfig Configuration)
{
    public static PaymentMethodView From(PaymentMethodSettings method) => new(
        method.Id, method.Name, method.Type, method.Provider, method.IsActive, method.IsDefault, method.SortOrder, method.Config);
}
