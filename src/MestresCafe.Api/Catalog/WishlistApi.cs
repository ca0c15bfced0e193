using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Admin;
using MestresCafe.Data.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using static MestresCafe.Api.Admin.WriteOutcome;

namespace MestresCafe.Api.Catalog;

public sealed record WishlistInput(
    [Required(ErrorMessage = WishlistInput.ProductIdMessage), Range(1, long.MaxValue, ErrorMessage = WishlistInput.ProductIdMessage)] long? ProductId)
{
    internal const string ProductIdMessage = "Required: the id of a product.";
}

/// <summary>The signed-in customer's wishlist; the owner is always the session's user.</summary>
public static class WishlistApi
{
    public static RouteGroupBuilder MapWishlistApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/wishlist").WithTags("Wishlist").RequirePermission("cart:write_own");
        group.MapGet("/", ListAsync).WithName("GetWishlist").WithSummary("Your wishlist, newest first.");
        group.MapPost("/", AddAsync).WithName("AddToWishlist").WithSummary("Add a product (201; 200 when it was already there).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{productId:long}", RemoveAsync).WithName("RemoveFromWishlist").WithSummary("Remove a product.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<WishlistItem>>> ListAsync(HttpContext http, WishlistStore wishlist, CancellationToken cancellationToken) =>
        TypedResults.Ok(await wishlist.ListAsync(http.User.GetUserId(), cancellationToken));

    private static async Task<Results<Created, Ok, ValidationProblem, ProblemHttpResult>> AddAsync(
        WishlistInput body, HttpContext http, AuditedWriter writer, WishlistStore wishlist)
    {
        var result = await writer.RunAsync(http, "wishlist.add", "wishlist", async (scope, ct) =>
        {
            var (exists, added) = await wishlist.AddAsync(scope, http.User.GetUserId(), body.ProductId!.Value, ct);
            // Already there: nothing changed, so no audit row and the empty transaction rolls back.
            return exists ? added is null ? Fail(TypedResults.Ok()) : Done(added) : Fail(Problems.NotFound("No such product."));
        });

        if (result.Change is not null)
        {
            return TypedResults.Created("/api/wishlist");
        }

        return result.Problem is ProblemHttpResult problem ? problem : TypedResults.Ok();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(long productId, HttpContext http, AuditedWriter writer, WishlistStore wishlist)
    {
        var result = await writer.RunAsync(http, "wishlist.remove", "wishlist", async (scope, ct) =>
            Done(await wishlist.RemoveAsync(scope, http.User.GetUserId(), productId, ct)));
        return result.Change is null ? Problems.NotFound("The product is not in your wishlist.") : TypedResults.NoContent();
    }
}
