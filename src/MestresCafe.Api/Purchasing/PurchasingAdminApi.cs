using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Purchasing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Purchasing;

/// <summary>
/// /api/admin/purchasing suppliers and supplier products: listed with purchasing:read, created,
/// changed and removed with purchasing:write, each write with its audit row in one transaction
/// through <see cref="AdminCrud"/>. Purchase orders are in <see cref="PurchaseOrdersApi"/>.
/// </summary>
public static class PurchasingAdminApi
{
    public const string ReadPermission = "purchasing:read";
    public const string WritePermission = "purchasing:write";
    internal const string Base = "/api/admin/purchasing";
    internal const string Tag = "Back office: purchasing";

    private static readonly AdminEntity<SupplierInput, AdminSupplier, SupplierStore> Suppliers = new(
        "Supplier", "suppliers", "purchasing.supplier", "/suppliers/", Base + "/suppliers/", (body, _) => body.ToColumns(), Removal.DeactivateShowingRow,
        "Create a supplier (CNPJ check digits verified, contacts, payment terms, lead time).",
        "Change the given fields of a supplier; a contact list replaces the whole list.",
        "Deactivate a supplier: no new purchase orders to it; its history stays.");

    private static readonly AdminEntity<SupplierProductInput, AdminSupplierProduct, SupplierStore> SupplierProducts = new(
        "SupplierProduct", "supplier_products", "purchasing.supplier_product", "/supplier-products/", Base + "/supplier-products/",
        (body, creating) => body.ToColumns(creating), Removal.Delete,
        "Record what a supplier sells of an item (its SKU, cost, lead time, minimum order); preferred unmarks the item's other suppliers.",
        "Change the given fields of a supplier product (not its supplier or item).",
        "Remove a supplier product.")
    {
        Before = OnePreferredSupplierAsync,
    };

    public static RouteGroupBuilder MapPurchasingAdminApi(this RouteGroupBuilder api)
    {
        var read = api.MapGroup("/admin/purchasing").WithTags(Tag).RequirePermission(ReadPermission);
        read.MapGet("/suppliers", ListSuppliersAsync).WithName("ListSuppliers").WithSummary("Suppliers by name, optionally only active ones or matching a name or CNPJ.");
        read.MapGet("/suppliers/{id:long}", GetSupplierAsync).WithName("GetSupplier").WithSummary("One supplier.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        read.MapGet("/supplier-products", ListSupplierProductsAsync).WithName("ListSupplierProducts")
            .WithSummary("What suppliers sell, by supplier and/or product, with the item's SKU and name.");

        var write = api.MapGroup("/admin/purchasing").WithTags(Tag).RequirePermission(WritePermission)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        write.MapAdminCrud<SupplierInput, AdminSupplier, SupplierStore, AuditedWriter>(Suppliers);
        write.MapAdminCrud<SupplierProductInput, AdminSupplierProduct, SupplierStore, AuditedWriter>(SupplierProducts);
        return write;
    }

    /// <summary>One preferred supplier per item: marking one unmarks the others, in the same transaction.</summary>
    private static async Task<IResult?> OnePreferredSupplierAsync(AdminStep<SupplierProductInput, SupplierStore> step)
    {
        if (step.Body.IsPreferred == true)
        {
            await step.Store.ClearPreferredAsync(step.Scope, step.Id, step.Body.ProductId, step.Body.VariantId, step.CancellationToken);
        }

        return null;
    }

    private static async Task<Ok<IReadOnlyList<AdminSupplier>>> ListSuppliersAsync(
        PurchasingQueries queries, CancellationToken cancellationToken, bool? active = null, string? search = null) =>
        TypedResults.Ok<IReadOnlyList<AdminSupplier>>((await queries.SuppliersAsync(active, search?.Trim() is { Length: > 0 } s ? s : null, cancellationToken))
            .Select(row => row.As<AdminSupplier>()).ToList());

    private static async Task<Results<Ok<AdminSupplier>, ProblemHttpResult>> GetSupplierAsync(long id, PurchasingQueries queries, CancellationToken cancellationToken) =>
        await queries.SupplierAsync(id, cancellationToken) is { } row ? TypedResults.Ok(row.As<AdminSupplier>()) : Problems.NotFound("No such supplier.");

    private static async Task<Ok<IReadOnlyList<AdminSupplierProduct>>> ListSupplierProductsAsync(
        PurchasingQueries queries, CancellationToken cancellationToken, long? supplierId = null, long? productId = null) =>
        TypedResults.Ok<IReadOnlyList<AdminSupplierProduct>>((await queries.SupplierProductsAsync(supplierId, productId, cancellationToken))
            .Select(row => row.As<AdminSupplierProduct>()).ToList());
}
