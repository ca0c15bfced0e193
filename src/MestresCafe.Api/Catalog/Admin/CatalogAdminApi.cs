using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Security;
using MestresCafe.Data.Catalog;
using MestresCafe.Inventory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NpgsqlTypes;
using static MestresCafe.Api.Admin.WriteOutcome;

namespace MestresCafe.Api.Catalog.Admin;

/// <summary>
/// Back-office catalog writes under /api/admin/catalog: products, variants, images, attribute
/// values (products:write), categories and brands (categories:write), attributes (products:write).
/// Every change is audited in its own transaction and invalidates the catalog cache everywhere.
/// Each entity is an <see cref="AdminEntity{TInput, TView, TStore}"/> with its own cross-row rules.
/// </summary>
public static class CatalogAdminApi
{
    private const string Base = "/api/admin/catalog";

    private const long ProductBodyMaxBytes = 256 * 1024;

    private static readonly AdminParent OfProduct = new("products", "product_id", "No such product.");

    private static readonly AdminEntity<ProductInput, AdminProduct, CatalogAdminStore> Products = new(
        "Product", "products", "catalog.product", "/", Base + "/products/", (body, creating) => body.ToColumns(creating), Removal.Deactivate,
        "Create a product (and its inventory item at the default location, zero stock, until it gets variants).", "Change the given fields of a product.", "Deactivate a product (it leaves the storefront; history keeps it).")
    {
        OnCreate = (columns, http) => columns.Add("created_by", http.User.GetUserId(), NpgsqlDbType.Bigint),
        Before = step => SkuFreeAsync(step, step.Body.Sku, forVariant: false),
        Created = (step, row) => step.Store.CreateInventoryItemAsync(step.Scope, row.Id, null, InventoryKey.DefaultLocation, step.CancellationToken),
    };

    private static readonly AdminEntity<VariantInput, AdminVariant, CatalogAdminStore> Variants = new(
        "Variant", "product_variants", "catalog.variant", "/{productId:long}/variants", Base + "/products/{0}/variants/",
        (body, creating) => body.ToColumns(creating), Removal.Deactivate,
        "Add a variant to a product (and its inventory item at the default location, zero stock).", "Change the given fields of a variant.", "Deactivate a variant.")
    {
        Parent = OfProduct,
        Before = step => SkuFreeAsync(step, step.Body.Sku, forVariant: true),
        Created = (step, row) => step.Store.CreateInventoryItemAsync(step.Scope, step.ParentId!.Value, row.Id, InventoryKey.DefaultLocation, step.CancellationToken),
    };

    private static readonly AdminEntity<ImageInput, AdminImage, CatalogAdminStore> Images = new(
        "ProductImage", "product_images", "catalog.image", "/{productId:long}/images", Base + "/products/{0}/images/",
        (body, creating) => body.ToColumns(creating), Removal.Delete,
        "Add an image to a product.", "Change an image (alt text, order, primary).", "Remove an image.")
    {
        Parent = OfProduct,
        Before = OnePrimaryImageAsync,
    };

    private static readonly AdminEntity<CategoryInput, AdminCategory, CatalogAdminStore> Categories = new(
        "Category", "categories", "catalog.category", "/", Base + "/categories/", (body, creating) => body.ToColumns(creating), Removal.Deactivate,
        "Create a category.", "Change the given fields of a category (a parent cannot be inside its own subtree).",
        "Deactivate a category (its subtree leaves the storefront menu).")
    {
        Before = NotInOwnSubtreeAsync,
    };

    private static readonly AdminEntity<BrandInput, AdminBrand, CatalogAdminStore> Brands = new(
        "Brand", "brands", "catalog.brand", "/", Base + "/brands/", (body, creating) => body.ToColumns(creating), Removal.Deactivate,
        "Create a brand.", "Change the given fields of a brand.", "Deactivate a brand.");

    private static readonly AdminEntity<AttributeInput, AdminAttribute, CatalogAdminStore> Attributes = new(
        "Attribute", "product_attributes", "catalog.attribute", "/", Base + "/attributes/", (body, creating) => body.ToColumns(creating), Removal.Delete,
        "Create a product attribute (e.g. Processo).", "Change the given fields of an attribute.", "Delete an attribute and its values.");

    public static RouteGroupBuilder MapCatalogAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/catalog").WithTags("Catalog back office")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        // A description may hold 20,000 characters; escaped as JSON that can pass the API's default.
        var products = admin.MapGroup("/products").RequirePermission("products:write").WithRequestSizeLimit(ProductBodyMaxBytes);
        Map(products, Products);
        Map(products, Variants);
        Map(products, Images);
        products.MapPut("/{productId:long}/attributes/{attributeId:long}", SetAttributeValueAsync).WithName("SetProductAttributeValue").WithSummary("Set a product's value of an attribute.");
        products.MapDelete("/{productId:long}/attributes/{attributeId:long}", DeleteAttributeValueAsync).WithName("DeleteProductAttributeValue").WithSummary("Remove a product's value of an attribute.");

        Map(admin.MapGroup("/categories").RequirePermission("categories:write"), Categories);
        Map(admin.MapGroup("/brands").RequirePermission("categories:write"), Brands);
        Map(admin.MapGroup("/attributes").RequirePermission("products:write"), Attributes);
        return admin;
    }

    private static void Map<TInput, TView>(RouteGroupBuilder group, AdminEntity<TInput, TView, CatalogAdminStore> entity) =>
        group.MapAdminCrud<TInput, TView, CatalogAdminStore, CatalogWriter>(entity);

    /// <summary>SKUs are unique across products and variants; each table only enforces its own.</summary>
    private static async Task<IResult?> SkuFreeAsync<TInput>(AdminStep<TInput, CatalogAdminStore> step, string? sku, bool forVariant) =>
        sku is not null && await step.Store.SkuUsedElsewhereAsync(step.Scope, sku.Trim(), forVariant, step.CancellationToken)
            ? Problems.Conflict("Already exists.", forVariant ? "The SKU is already in use by a product." : "The SKU is already in use by a variant.")
            : null;

    /// <summary>One primary image per product: setting one clears the flag on the others.</summary>
    private static async Task<IResult?> OnePrimaryImageAsync(AdminStep<ImageInput, CatalogAdminStore> step)
    {
        if (step.Body.IsPrimary == true)
        {
            await step.Store.ClearPrimaryImageAsync(step.Scope, step.ParentId!.Value, step.Id, step.CancellationToken);
        }

        return null;
    }

    private static async Task<IResult?> NotInOwnSubtreeAsync(AdminStep<CategoryInput, CatalogAdminStore> step) =>
        step is { Id: { } id, Body.ParentId: { } parent } && await step.Store.IsInSubtreeAsync(step.Scope, id, parent, step.CancellationToken)
            ? Problems.Unprocessable("parentId", "A category cannot be placed inside its own subtree.")
            : null;

    // Attribute values -------------------------------------------------------------------------

    private static async Task<Results<Ok<AdminAttributeValue>, ValidationProblem, ProblemHttpResult>> SetAttributeValueAsync(
        long productId, long attributeId, AttributeValueInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var result = await writer.RunAsync(http, "catalog.attribute_value.set", "product_attribute_values", async (scope, ct) =>
            await store.LockAsync(scope, "products", productId, null, ct) is null
                ? Fail(Problems.NotFound("No such product."))
                : Done(await store.UpsertAttributeValueAsync(scope, productId, attributeId, body.Value!.Trim(), ct)));
        return AdminResults.Ok<AdminAttributeValue>(result);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAttributeValueAsync(
        long productId, long attributeId, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "catalog.attribute_value.delete", "product_attribute_values", async (scope, ct) =>
            Done(await store.DeleteAttributeValueAsync(scope, productId, attributeId, ct))));
}
