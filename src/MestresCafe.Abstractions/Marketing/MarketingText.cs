using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MestresCafe.Marketing;

/// <summary>
/// The rules of a marketing text (a text campaign's SMS/WhatsApp message): its links, the opt-out
/// hint it always ends with, its length, and the replies that opt a phone out. Plain functions, so
/// the back office's check, the sender's composition and the short link's redirect agree.
/// </summary>
public static partial class MarketingText
{
    /// <summary>At most this many characters once composed (about three SMS segments; each is billed).</summary>
    public const int MaxLength = 480;

    /// <summary>The last line of every marketing text (what a reply of <see cref="OptOutWords"/> does).</summary>
    public const string OptOutHint = "Responda SAIR para não receber mais";

    /// <summary>Replies that opt the phone out of marketing texts: compared trimmed, without accents or case.</summary>
    public static readonly IReadOnlyList<string> OptOutWords = ["SAIR", "PARAR", "PARE", "CANCELAR", "DESCADASTRAR", "STOP"];

    /// <summary>The object in outbound_messages.data that makes a text a campaign's: its body and its recipient (none for a test).</summary>
    public const string DataField = "marketing_text";
    public const string BodyField = "body";
    public const string RecipientField = "recipient";

    /// <summary>The template name a campaign's text is queued under (the body travels in the data, not in a template).</summary>
    public const string Template = "marketing_text";

    // A link ends at white space; a sentence's closing punctuation right after it is not part of it.
    [GeneratedRegex(@"https?://[^\s<>""{}]+?(?=[.,;:!?)]*(?:\s|$))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();

    /// <summary>The body's links, in order: the n-th is what a short link with index n redirects to.</summary>
    public static IReadOnlyList<string> Links(string body) => LinkPattern().Matches(body).Select(m => m.Value).ToArray();

    /// <summary>The body with each link replaced by <paramref name="replace"/>(index, link).</summary>
    public static string ReplaceLinks(string body, Func<int, string, string> replace)
    {
        var index = 0;
        return LinkPattern().Replace(body, m => replace(index++, m.Value));
    }

    /// <summary>The text as sent: the body, then the opt-out hint on its own line.</summary>
    public static string Compose(string body) => body.Trim() + "\n" + OptOutHint;

    /// <summary>Null when the composed text fits, otherwise why not.</summary>
    public static string? CheckLength(string composed) => composed.Length <= MaxLength
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"The text is {composed.Length} characters with its links and opt-out line; at most {MaxLength}.");

    /// <summary>
    /// Composes and, when a recipient's data made it longer than checked (a long first name), cuts the
    /// body, never the opt-out hint.
    /// </summary>
    public static string Fit(string body)
    {
        var composed = Compose(body);
        if (composed.Length <= MaxLength)
        {
            return composed;
        }

        var room = MaxLength - OptOutHint.Length - 2; // the newline and the ellipsis
        return Compose(body.Trim()[..room].TrimEnd() + "…");
    }

    /// <summary>Whether a reply asks to stop marketing texts: one of <see cref="OptOutWords"/>, trimmed, case and accents ignored.</summary>
    public static bool IsOptOut(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return false;
        }

        var plain = new StringBuilder();
        foreach (var c in reply.Trim().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(char.ToUpperInvariant(c));
            }
        }

        return OptOutWords.Contains(plain.ToString().TrimEnd('.', '!'), StringComparer.Ordinal);
    }
}
