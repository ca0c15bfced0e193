using Microsoft.AspNetCore.Http;
using Npgsql;

namespace MestresCafe.Api.Admin;

/// <summary>Maps PostgreSQL constraint violations of back-office writes to problem details.</summary>
internal static class ConstraintProblems
{
    public static IResult? TryMap(PostgresException error) => error.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => Problems.Conflict("Already exists.", DescribeUnique(error.ConstraintName)),
        PostgresErrorCodes.ForeignKeyViolation => Problems.Unprocessable(FieldOf(error.ConstraintName), "Refers to a record that does not exist."),
        PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.StringDataRightTruncation
            or PostgresErrorCodes.NumericValueOutOfRange => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [FieldOf(error.ConstraintName ?? error.ColumnName)] = ["Invalid value."] }),
        _ => null,
    };

    private static string DescribeUnique(string? constraint) => constraint switch
    {
        { } c when c.EndsWith("_slug_key", StringComparison.Ordinal) => "The slug is already in use.",
        { } c when c.EndsWith("_sku_key", StringComparison.Ordinal) => "The SKU is already in use.",
        { } c when c.EndsWith("_name_key", StringComparison.Ordinal) => "The name is already in use.",
        { } c when c.EndsWith("_cnpj_key", StringComparison.Ordinal) => "The CNPJ is already in use.",
        "uq_customers_tax_id" => "The CPF/CNPJ is already in use by another customer.",
        "uq_supplier_products_item" => "The supplier already has an offer for this item.",
        "uq_product_images_product_url" => "The product already has this image.",
        _ => "A record with these values already exists.",
    };

    private static string FieldOf(string? constraint) => constraint switch
    {
        null => "body",
        { } c when c.Contains("category_id", StringComparison.Ordinal) => "categoryId",
        { } c when c.Contains("supplier_id", StringComparison.Ordinal) => "supplierId",
        { } c when c.Contains("supplier_products_variant", StringComparison.Ordinal) => "variantId",
        { } c when c.Contains("supplier_products_product_id", StringComparison.Ordinal) => "productId",
        { } c when c.Contains("cnpj", StringComparison.Ordinal) => "cnpj",
        { } c when c.Contains("tax_id", StringComparison.Ordinal) => "taxId",
        { } c when c.Contains("brand_id", StringComparison.Ordinal) => "brandId",
        { } c when c.Contains("parent", StringComparison.Ordinal) => "parentId",
        { } c when c.Contains("attribute_id", StringComparison.Ordinal) => "attributeId",
        { } c when c.Contains("compare_price", StringComparison.Ordinal) => "comparePrice",
        { } c when c.Contains("price", StringComparison.Ordinal) => "price",
        { } c when c.Contains("slug", StringComparison.Ordinal) => "slug",
        { } c when c.Contains("sku", StringComparison.Ordinal) => "sku",
        { } c when c.Contains("digital", StringComparison.Ordinal) => "isDigital",
        _ => constraint,
    };
}
