using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Api.Catalog.Admin;
using MestresCafe.Api.Infrastructure.Validation;
using Microsoft.Extensions.Validation;

namespace MestresCafe.Api.Purchasing;

// The generic back-office endpoints (AdminCrud) take these bodies as a type parameter, which the
// validation generator cannot see through; [ValidatableType] has it generate their checks.
#pragma warning disable ASP0029 // ValidatableType is marked experimental in .NET 10.

/// <summary>
/// A supplier's fields. POST requires the name; PATCH changes only the fields present, and a
/// contact list replaces the whole list. The CNPJ is stored without punctuation.
/// </summary>
[ValidatableType]
public sealed record SupplierInput(
    [RequiredOnCreate, Infrastructure.Validation.NotBlank, TrimmedLength(200)] string? Name,
    [Cnpj] string? Cnpj,
    [AccountEmail] string? Email,
    [PhoneNumber] string? Phone,
    [JsonShape(JsonValueKind.Object, 2000)] JsonElement? Address,
    [MaxLength(20, ErrorMessage = "At most {1} contacts.")] IReadOnlyList<SupplierContact>? Contacts,
    [TrimmedLength(100)] string? PaymentTerms,
    [Range(0, 365, ErrorMessage = CatalogInputs.RangeMessage)] int? LeadTimeDays,
    [TrimmedLength(2000)] string? Notes,
    bool? IsActive)
{
    internal ColumnBuilder ToColumns() => new ColumnBuilder()
        .Text("name", Name)
        .Text("cnpj", Cnpj is null ? null : MestresCafe.TaxIds.Cnpj.Normalize(Cnpj))
        .Text("email", Email is null ? null : AccountRules.NormalizeEmail(Email))
        .Text("phone", Phone is null ? null : AccountRules.NormalizePhone(Phone))
        .Json("address", Address)
        .Json("contacts", Contacts is null ? null : JsonSerializer.SerializeToElement(Contacts.Select(c => c.Trimmed()), JsonSerializerOptions.Web))
        .Text("payment_terms", PaymentTerms)
        .Integer("lead_time_days", LeadTimeDays)
        .Text("notes", Notes)
        .Flag("is_active", IsActive);
}

/// <summary>Someone to talk to at a supplier.</summary>
[ValidatableType]
public sealed record SupplierContact(
    [Required(ErrorMessage = "Required."), Infrastructure.Validation.NotBlank, TrimmedLength(120)] string Name,
    [TrimmedLength(80)] string? Role,
    [AccountEmail] string? Email,
    [PhoneNumber] string? Phone)
{
    internal SupplierContact Trimmed() => new(
        Name.Trim(), Role?.Trim() is { Length: > 0 } role ? role : null,
        Email is null ? null : AccountRules.NormalizeEmail(Email), Phone is null ? null : AccountRules.NormalizePhone(Phone));
}

/// <summary>
/// What a supplier sells of one item: the product, and the variant when the offer is for one
/// variant only (none: the product itself, or every variant of it). The item is fixed at creation;
/// the rest changes with PATCH. Marking it preferred unmarks the item's other suppliers.
/// </summary>
[ValidatableType]
public sealed record SupplierProductInput(
    [RequiredOnCreate, RowId] long? SupplierId,
    [RequiredOnCreate, RowId] long? ProductId,
    [RowId] long? VariantId,
    [TrimmedLength(64)] string? SupplierSku,
    [Money] decimal? SupplierPrice,
    [Range(0, 365, ErrorMessage = CatalogInputs.RangeMessage)] int? LeadTimeDays,
    [Range(1, 1_000_000, ErrorMessage = CatalogInputs.RangeMessage)] int? MinimumOrderQuantity,
    bool? IsPreferred)
{
    internal ColumnBuilder ToColumns(bool creating)
    {
        var columns = new ColumnBuilder();
        if (creating)
        {
            columns.Reference("supplier_id", SupplierId).Reference("product_id", ProductId).Reference("variant_id", VariantId);
        }

        return columns
            .Text("supplier_sku", SupplierSku)
            .Numeric("supplier_price", SupplierPrice)
            .Integer("lead_time_days", LeadTimeDays)
            .Integer("minimum_order_quantity", MinimumOrderQuantity)
            .Flag("is_preferred", IsPreferred);
    }
}

#pragma warning restore ASP0029

/// <summary>Back-office views of the purchasing rows, read from the row images the stores return.</summary>
public sealed record AdminSupplier(
    long Id, string Name, string? Cnpj, string? Email, string? Phone, JsonElement? Address, JsonElement Contacts, string? PaymentTerms,
    int? LeadTimeDays, string? Notes, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AdminSupplierProduct(
    long Id, long SupplierId, long ProductId, long? VariantId, string? SupplierSku, decimal? SupplierPrice, int? LeadTimeDays,
    int MinimumOrderQuantity, bool IsPreferred, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The item's SKU and name, in lists (not in a write's answer).</summary>
    public string? Sku { get; init; }
    public string? ItemName { get; init; }
    public string? SupplierName { get; init; }
}
