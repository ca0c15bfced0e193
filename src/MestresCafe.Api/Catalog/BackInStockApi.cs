using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Catalog;

/// <summary>
/// POST /api/catalog/products/{slug}/notify-me: the signed-in customer asks for one e-mail when an
/// item with no stock comes back (sent from the inventory projection when the item's stock goes from
/// none to some).
/// </summary>
public static class BackInStockApi
{
    public static RouteGroupBuilder MapBackInStockApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/catalog/products").WithTags("Catalog").RequirePermission("cart:write_own");
        group.MapPost("/{slug}/notify-me", RequestAsync)
            .WithName("NotifyMeWhenBackInStock")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Asks for one e-mail when the product (or the variant named by ?variant=SKU) is back in stock: 201, or 200 with the same request when already asked; 409 while it has stock.");
        return group;
    }

    private static async Task<Results<Created<BackInStockRequest>, Ok<BackInStockRequest>, ValidationProblem, ProblemHttpResult>> RequestAsync(
        string slug, BackInStockStore store, HttpContext http, CancellationToken cancellationToken,
        [StringLength(64), RegularExpression("^[A-Z0-9][A-Z0-9-]*$", ErrorMessage = "A variant's SKU.")] string? variant = null)
    {
        if (!CatalogValidation.IsSlug(slug))
        {
            return Problems.NotFound("No such product.");
        }

        var (outcome, request) = await store.RequestAsync(http.User.GetUserId(), slug, variant, cancellationToken);
        return outcome switch
        {
            BackInStockOutcome.Created => TypedResults.Created($"/api/catalog/products/{slug}", request),
            BackInStockOutcome.AlreadyRequested => TypedResults.Ok(request),
            BackInStockOutcome.InStock => Problems.Conflict("The item is in stock.", "Nothing to wait for: it can be bought now."),
            _ => Problems.NotFound(variant is null ? "No such product." : "No such product or variant."),
        };
    }
}
