using System.Globalization;
using System.Text.RegularExpressions;

namespace MestresCafe.Api.Catalog;

public static partial class CatalogValidation
{
    public const int MaxSlugLength = 140;

    public static bool IsSlug(string value) => value.Length <= MaxSlugLength && SlugPattern().IsMatch(value);

    public static bool IsSku(string value) => value.Length <= 64 && SkuPattern().IsMatch(value);

    public static bool IsBarcode(string value) => value.Length is >= 8 and <= 14 && value.All(char.IsAsciiDigit);

    public static bool IsImageUrl(string value) =>
        value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal)
        || Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>The slug to store: the one given, or on create one made from the name (an update leaves it alone).</summary>
    public static string? SlugOrFromName(string? slug, string? name, bool creating) =>
        slug ?? (creating && name is not null ? Slugify(name) : null);

    /// <summary>"Café Sul de Minas" → "cafe-sul-de-minas".</summary>
    public static string Slugify(string text)
    {
        var decomposed = text.Normalize(System.Text.NormalizationForm.FormD);
        var ascii = new string(decomposed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());
        var slug = NonSlugRun().Replace(ascii.ToLowerInvariant(), "-").Trim('-');
        return slug.Length > MaxSlugLength ? slug[..MaxSlugLength].TrimEnd('-') : slug;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Z0-9][A-Z0-9-]*$")]
    private static partial Regex SkuPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlugRun();
}
