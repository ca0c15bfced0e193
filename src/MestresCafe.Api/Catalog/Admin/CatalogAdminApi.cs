using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Security;
using MestresCafe.Data.Catalog;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NpgsqlTypes;
using static MestresCafe.Api.Catalog.WriteOutcome;

namespace MestresCafe.Api.Catalog.Admin;

/// <summary>
/// Back-office catalog writes under /api/admin/catalog: products, variants, images, attribute
/// values (products:write), categories and brands (categories:write), attributes (products:write).
/// Every change is audited in its own transaction and invalidates the catalog cache everywhere.
/// </summary>
public static class CatalogAdminApi
{
    private const string Base = "/api/admin/catalog";

    private const long ProductBodyMaxBytes = 256 * 1024;

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
        products.MapPost("/", CreateProductAsync).WithName("CreateProduct").WithSummary("Create a product.");
        products.MapPatch("/{id:long}", UpdateProductAsync).WithName("UpdateProduct").WithSummary("Change the given fields of a product.");
        products.MapDelete("/{id:long}", DeactivateProductAsync).WithName("DeactivateProduct").WithSummary("Deactivate a product (it leaves the storefront; history keeps it).");
        products.MapPost("/{productId:long}/variants", CreateVariantAsync).WithName("CreateVariant").WithSummary("Add a variant to a product.");
        products.MapPatch("/{productId:long}/variants/{id:long}", UpdateVariantAsync).WithName("UpdateVariant").WithSummary("Change the given fields of a variant.");
        products.MapDelete("/{productId:long}/variants/{id:long}", DeactivateVariantAsync).WithName("DeactivateVariant").WithSummary("Deactivate a variant.");
        products.MapPost("/{productId:long}/images", CreateImageAsync).WithName("CreateProductImage").WithSummary("Add an image to a product.");
        products.MapPatch("/{productId:long}/images/{id:long}", UpdateImageAsync).WithName("UpdateProductImage").WithSummary("Change an image (alt text, order, primary).");
        products.MapDelete("/{productId:long}/images/{id:long}", DeleteImageAsync).WithName("DeleteProductImage").WithSummary("Remove an image.");
        products.MapPut("/{productId:long}/attributes/{attributeId:long}", SetAttributeValueAsync).WithName("SetProductAttributeValue").WithSummary("Set a product's value of an attribute.");
        products.MapDelete("/{productId:long}/attributes/{attributeId:long}", DeleteAttributeValueAsync).WithName("DeleteProductAttributeValue").WithSummary("Remove a product's value of an attribute.");

        var categories = admin.MapGroup("/categories").RequirePermission("categories:write");
        categories.MapPost("/", CreateCategoryAsync).WithName("CreateCategory").WithSummary("Create a category.");
        categories.MapPatch("/{id:long}", UpdateCategoryAsync).WithName("UpdateCategory").WithSummary("Change the given fields of a category (a parent cannot be inside its own subtree).");
        categories.MapDelete("/{id:long}", DeactivateCategoryAsync).WithName("DeactivateCategory").WithSummary("Deactivate a category (its subtree leaves the storefront menu).");

        var brands = admin.MapGroup("/brands").RequirePermission("categories:write");
        brands.MapPost("/", CreateBrandAsync).WithName("CreateBrand").WithSummary("Create a brand.");
        brands.MapPatch("/{id:long}", UpdateBrandAsync).WithName("UpdateBrand").WithSummary("Change the given fields of a brand.");
        brands.MapDelete("/{id:long}", DeactivateBrandAsync).WithName("DeactivateBrand").WithSummary("Deactivate a brand.");

        var attributes = admin.MapGroup("/attributes").RequirePermission("products:write");
        attributes.MapPost("/", CreateAttributeAsync).WithName("CreateAttribute").WithSummary("Create a product attribute (e.g. Processo).");
        attributes.MapPatch("/{id:long}", UpdateAttributeAsync).WithName("UpdateAttribute").WithSummary("Change the given fields of an attribute.");
        attributes.MapDelete("/{id:long}", DeleteAttributeAsync).WithName("DeleteAttribute").WithSummary("Delete an attribute and its values.");

        return admin;
    }

    // Products ---------------------------------------------------------------------------------

    private static async Task<Results<Created<AdminProduct>, ValidationProblem, ProblemHttpResult>> CreateProductAsync(
        ProductInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: true);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        columns.Add("created_by", http.User.GetUserId(), NpgsqlDbType.Bigint);
        var result = await writer.RunAsync(http, "catalog.product.create", "products", async (connection, transaction, ct) =>
            body.Sku is { } sku && await store.SkuUsedElsewhereAsync(connection, transaction, sku.Trim(), forVariant: false, ct)
                ? Fail(Problems.Conflict("Already exists.", "The SKU is already in use by a variant."))
                : Done(await store.InsertAsync(connection, transaction, "products", columns.Columns, ct)));
        return AdminResults.Created<AdminProduct>(result, Base + "/products/");
    }

    private static async Task<Results<Ok<AdminProduct>, ValidationProblem, ProblemHttpResult>> UpdateProductAsync(
        long id, ProductInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: false);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        var result = await writer.RunAsync(http, "catalog.product.update", "products", async (connection, transaction, ct) =>
            body.Sku is { } sku && await store.SkuUsedElsewhereAsync(connection, transaction, sku.Trim(), forVariant: false, ct)
                ? Fail(Problems.Conflict("Already exists.", "The SKU is already in use by a variant."))
                : Done(await store.UpdateAsync(connection, transaction, "products", id, columns.Columns, null, ct)));
        return AdminResults.Ok<AdminProduct>(result);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeactivateProductAsync(
        long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "catalog.product.deactivate", "products", async (connection, transaction, ct) =>
            Done(await store.UpdateAsync(connection, transaction, "products", id, [Inactive], null, ct))));

    // Variants ---------------------------------------------------------------------------------

    private static async Task<Results<Created<AdminVariant>, ValidationProblem, ProblemHttpResult>> CreateVariantAsync(
        long productId, VariantInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: true);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        columns.Add("product_id", productId, NpgsqlDbType.Bigint);
        var result = await writer.RunAsync(http, "catalog.variant.create", "product_variants", async (connection, transaction, ct) =>
        {
            if (await store.LockAsync(connection, transaction, "products", productId, null, ct) is null)
            {
                return Fail(Problems.NotFound("No such product."));
            }

            return body.Sku is { } sku && await store.SkuUsedElsewhereAsync(connection, transaction, sku.Trim(), forVariant: true, ct)
                ? Fail(Problems.Conflict("Already exists.", "The SKU is already in use by a product."))
                : Done(await store.InsertAsync(connection, transaction, "product_variants", columns.Columns, ct));
        });
        return AdminResults.Created<AdminVariant>(result, $"{Base}/products/{productId}/variants/");
    }

    private static async Task<Results<Ok<AdminVariant>, ValidationProblem, ProblemHttpResult>> UpdateVariantAsync(
        long productId, long id, VariantInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: false);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        var result = await writer.RunAsync(http, "catalog.variant.update", "product_variants", async (connection, transaction, ct) =>
            body.Sku is { } sku && await store.SkuUsedElsewhereAsync(connection, transaction, sku.Trim(), forVariant: true, ct)
                ? Fail(Problems.Conflict("Already exists.", "The SKU is already in use by a product."))
                : Done(await store.UpdateAsync(connection, transaction, "product_variants", id, columns.Columns, OfProduct(productId), ct)));
        return AdminResults.Ok<AdminVariant>(result);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeactivateVariantAsync(
        long productId, long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "catalog.variant.deactivate", "product_variants", async (connection, transaction, ct) =>
            Done(await store.UpdateAsync(connection, transaction, "product_variants", id, [Inactive], OfProduct(productId), ct))));

    // Images -----------------------------------------------------------------------------------

    private static async Task<Results<Created<AdminImage>, ValidationProblem, ProblemHttpResult>> CreateImageAsync(
        long productId, ImageInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: true);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        columns.Add("product_id", productId, NpgsqlDbType.Bigint);
        var result = await writer.RunAsync(http, "catalog.image.create", "product_images", async (connection, transaction, ct) =>
        {
            if (await store.LockAsync(connection, transaction, "products", productId, null, ct) is null)
            {
                return Fail(Problems.NotFound("No such product."));
            }

            if (body.IsPrimary == true)
            {
                await store.ClearPrimaryImageAsync(connection, transaction, productId, null, ct);
            }

            return Done(await store.InsertAsync(connection, transaction, "product_images", columns.Columns, ct));
        });
        return AdminResults.Created<AdminImage>(result, $"{Base}/products/{productId}/images/");
    }

    private static async Task<Results<Ok<AdminImage>, ValidationProblem, ProblemHttpResult>> UpdateImageAsync(
        long productId, long id, ImageInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: false);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        var result = await writer.RunAsync(http, "catalog.image.update", "product_images", async (connection, transaction, ct) =>
        {
            if (body.IsPrimary == true)
            {
                await store.ClearPrimaryImageAsync(connection, transaction, productId, id, ct);
            }

            return Done(await store.UpdateAsync(connection, transaction, "product_images", id, columns.Columns, OfProduct(productId), ct));
        });
        return AdminResults.Ok<AdminImage>(result);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteImageAsync(
        long productId, long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "catalog.image.delete", "product_images", async (connection, transaction, ct) =>
            Done(await store.DeleteAsync(connection, transaction, "product_images", id, OfProduct(productId), ct))));

    // Attribute values -------------------------------------------------------------------------

    private static async Task<Results<Ok<AdminAttributeValue>, ValidationProblem, ProblemHttpResult>> SetAttributeValueAsync(
        long productId, long attributeId, AttributeValueInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = new ColumnBuilder(creating: true).Text("value", "value", body.Value, 500, required: true);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        var result = await writer.RunAsync(http, "catalog.attribute_value.set", "product_attribute_values", async (connection, transaction, ct) =>
            await store.LockAsync(connection, transaction, "products", productId, null, ct) is null
                ? Fail(Problems.NotFound("No such product."))
                : Done(await store.UpsertAttributeValueAsync(connection, transaction, productId, attributeId, (string)columns.Columns[0].Value!, ct)));
        return AdminResults.Ok<AdminAttributeValue>(result);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAttributeValueAsync(
        long productId, long attributeId, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "catalog.attribute_value.delete", "product_attribute_values", async (connection, transaction, ct) =>
            Done(await store.DeleteAttributeValueAsync(connection, transaction, productId, attributeId, ct))));

    // Categories -------------------------------------------------------------------------------

    private static async Task<Results<Created<AdminCategory>, ValidationProblem, ProblemHttpResult>> CreateCategoryAsync(
        CategoryInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: true);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        var result = await writer.RunAsync(http, "catalog.category.create", "categories", async (connection, transaction, ct) =>
            Done(await store.InsertAsync(connection, transaction, "categories", columns.Columns, ct)));
        return AdminResults.Created<AdminCategory>(result, Base + "/categories/");
    }

    private static async Task<Results<Ok<AdminCategory>, ValidationProblem, ProblemHttpResult>> UpdateCategoryAsync(
        long id, CategoryInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: false);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        var result = await writer.RunAsync(http, "catalog.category.update", "categories", async (connection, transaction, ct) =>
            body.ParentId is { } parent && await store.IsInSubtreeAsync(connection, transaction, id, parent, ct)
                ? Fail(Problems.Unprocessable("parentId", "A category cannot be placed inside its own subtree."))
                : Done(await store.UpdateAsync(connection, transaction, "categories", id, columns.Columns, null, ct)));
        return AdminResults.Ok<AdminCategory>(result);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeactivateCategoryAsync(
        long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "catalog.category.deactivate", "categories", async (connection, transaction, ct) =>
            Done(await store.UpdateAsync(connection, transaction, "categories", id, [Inactive], null, ct))));

    // Brands -----------------------------------------------------------------------------------

    private static async Task<Results<Created<AdminBrand>, ValidationProblem, ProblemHttpResult>> CreateBrandAsync(
        BrandInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: true);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        var result = await writer.RunAsync(http, "catalog.brand.create", "brands", async (connection, transaction, ct) =>
            Done(await store.InsertAsync(connection, transaction, "brands", columns.Columns, ct)));
        return AdminResults.Created<AdminBrand>(result, Base + "/brands/");
    }

    private static async Task<Results<Ok<AdminBrand>, ValidationProblem, ProblemHttpResult>> UpdateBrandAsync(
        long id, BrandInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: false);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        return AdminResults.Ok<AdminBrand>(await writer.RunAsync(http, "catalog.brand.update", "brands", async (connection, transaction, ct) =>
            Done(await store.UpdateAsync(connection, transaction, "brands", id, columns.Columns, null, ct))));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeactivateBrandAsync(
        long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "catalog.brand.deactivate", "brands", async (connection, transaction, ct) =>
            Done(await store.UpdateAsync(connection, transaction, "brands", id, [Inactive], null, ct))));

    // Attributes -------------------------------------------------------------------------------

    private static async Task<Results<Created<AdminAttribute>, ValidationProblem, ProblemHttpResult>> CreateAttributeAsync(
        AttributeInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: true);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        var result = await writer.RunAsync(http, "catalog.attribute.create", "product_attributes", async (connection, transaction, ct) =>
            Done(await store.InsertAsync(connection, transaction, "product_attributes", columns.Columns, ct)));
        return AdminResults.Created<AdminAttribute>(result, Base + "/attributes/");
    }

    private static async Task<Results<Ok<AdminAttribute>, ValidationProblem, ProblemHttpResult>> UpdateAttributeAsync(
        long id, AttributeInput body, HttpContext http, CatalogWriter writer, CatalogAdminStore store)
    {
        var columns = body.ToColumns(creating: false);
        if (!columns.IsValid)
        {
            return TypedResults.ValidationProblem(columns.Errors);
        }

        return AdminResults.Ok<AdminAttribute>(await writer.RunAsync(http, "catalog.attribute.update", "product_attributes", async (connection, transaction, ct) =>
            Done(await store.UpdateAsync(connection, transaction, "product_attributes", id, columns.Columns, null, ct))));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAttributeAsync(
        long id, HttpContext http, CatalogWriter writer, CatalogAdminStore store) =>
        AdminResults.NoContent(await writer.RunAsync(http, "catalog.attribute.delete", "product_attributes", async (connection, transaction, ct) =>
            Done(await store.DeleteAsync(connection, transaction, "product_attributes", id, null, ct))));

    private static ColumnValue Inactive => new("is_active", false, NpgsqlDbType.Boolean);

    private static ColumnValue OfProduct(long productId) => new("product_id", productId, NpgsqlDbType.Bigint);
}
