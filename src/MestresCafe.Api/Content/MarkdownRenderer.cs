using Ganss.Xss;
using Markdig;

namespace MestresCafe.Api.Content;

/// <summary>
/// Markdown written by staff or customers to HTML that is safe to put in a page: Markdig renders,
/// HtmlSanitizer removes scripts, event handlers, styles and unsafe URLs from whatever came out
/// (raw HTML in Markdown included), on output, so a stored post can never carry its own script.
/// </summary>
public static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    // Customers write Markdown only: raw HTML in their text is shown as text.
    private static readonly MarkdownPipeline NoHtmlPipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer(allowLinks: true);

    private static readonly HtmlSanitizer LinklessSanitizer = CreateSanitizer(allowLinks: false);

    /// <summary>A post's or lesson's body.</summary>
    public static string ToSafeHtml(string markdown) => Sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>A customer's text: no raw HTML, and no links (their text stays) when <paramref name="allowLinks"/> is false.</summary>
    public static string ToSafeCustomerHtml(string markdown, bool allowLinks) =>
        (allowLinks ? Sanitizer : LinklessSanitizer).Sanitize(Markdown.ToHtml(markdown, NoHtmlPipeline));

    private static HtmlSanitizer CreateSanitizer(bool allowLinks)
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("style");
        if (!allowLinks)
        {
            sanitizer.AllowedTags.Remove("a");
            sanitizer.KeepChildNodes = true;
        }

        // Links written by others leave the site without passing it any credit or opener.
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link && link.HasAttribute("href"))
            {
                link.SetAttribute("rel", "nofollow noopener noreferrer");
            }
        };
        sanitizer.AllowedAttributes.Add("rel");
        return sanitizer;
    }
}
