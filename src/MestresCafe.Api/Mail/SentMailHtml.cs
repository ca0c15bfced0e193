using Ganss.Xss;

namespace MestresCafe.Api.Mail;

/// <summary>
/// A sent message's HTML made safe to open in the back office. The stored body is what the store
/// rendered, but its data came from customers (names, addresses, a product review quoted back), and
/// an edited template is staff input: a script there must not run with a staff member's session. So
/// the document is sanitized (scripts, event handlers, forms, frames and unsafe URLs removed; inline
/// styles, tables and images kept, which is how e-mail is laid out) and then served under a
/// sandboxing content security policy (<see cref="ContentSecurityPolicy"/>) as a second wall.
/// </summary>
public static class SentMailHtml
{
    /// <summary>
    /// A sandbox without scripts, forms or same origin; images over https and inline styles only
    /// (e-mail's own means); framed by the back office only.
    /// </summary>
    public const string ContentSecurityPolicy =
        "sandbox; default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    public static string Sanitize(string html) => Sanitizer.SanitizeDocument(html);

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("mailto");
        // E-mail layout attributes the default list lacks.
        foreach (var attribute in new[] { "role", "bgcolor", "cellpadding", "cellspacing" })
        {
            sanitizer.AllowedAttributes.Add(attribute);
        }

        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        return sanitizer;
    }
}
