using MestresCafe.Api.Infrastructure.Validation;

namespace MestresCafe.Api.Catalog.Admin;

/// <summary>Lower-case letters, digits and single hyphens (a catalog URL segment).</summary>
public sealed class SlugAttribute(int maximum) : TrimmedTextRuleAttribute(maximum, "Lower-case letters, digits and single hyphens.")
{
    protected override bool Matches(string trimmed) => CatalogValidation.IsSlug(trimmed);
}

/// <summary>Upper-case letters, digits and hyphens, at most 64 characters.</summary>
public sealed class SkuAttribute() : TrimmedTextRuleAttribute(64, "Upper-case letters, digits and hyphens.")
{
    protected override bool Matches(string trimmed) => CatalogValidation.IsSku(trimmed);
}

/// <summary>8 to 14 digits (EAN-8 to GTIN-14).</summary>
public sealed class BarcodeAttribute() : TrimmedTextRuleAttribute(14, "8 to 14 digits.")
{
    protected override bool Matches(string trimmed) => CatalogValidation.IsBarcode(trimmed);
}

/// <summary>An absolute http(s) URL or a site path, at most 500 characters.</summary>
public sealed class ImageUrlAttribute() : TrimmedTextRuleAttribute(500, "An absolute http(s) URL or a path starting with /.")
{
    protected override bool Matches(string trimmed) => CatalogValidation.IsImageUrl(trimmed);
}
