using System.Text.RegularExpressions;

namespace MestresCafe.Content;

/// <summary>A comment's moderation status; spelled in SQL by <see cref="SnakeCaseNames"/>.</summary>
public enum CommentStatus
{
    Pending,
    Approved,
    Rejected,
    Spam,
}

/// <summary>The comment a reply answers, as stored.</summary>
public sealed record CommentParent(long PostId, long? ParentId, CommentStatus Status);

/// <summary>
/// The rules of blog comments: one level of replies, to approved comments of the same post; links
/// removed from what accounts younger than <see cref="NewAccountPeriod"/> write (the usual shape of
/// comment spam); moderation decides a pending comment once.
/// </summary>
public static partial class CommentRules
{
    public const int MaxLength = 4000;

    public static readonly TimeSpan NewAccountPeriod = TimeSpan.FromDays(7);

    public static bool IsNewAccount(DateTimeOffset accountCreatedAt, DateTimeOffset now) => now - accountCreatedAt < NewAccountPeriod;

    /// <summary>Null when <paramref name="parent"/> can be answered on <paramref name="postId"/>; otherwise why not.</summary>
    public static string? CheckReply(CommentParent? parent, long postId) => parent switch
    {
        null => "No such comment.",
        _ when parent.PostId != postId => "The comment answered belongs to another post.",
        { ParentId: not null } => "Replies are one level deep: answer the comment that started the thread.",
        { Status: not CommentStatus.Approved } => "Only a published comment can be answered.",
        _ => null,
    };

    /// <summary>The text as stored: links removed for a new account (a Markdown link keeps its words).</summary>
    public static string Normalize(string text, bool newAccount)
    {
        var trimmed = text.Trim();
        if (!newAccount)
        {
            return trimmed;
        }

        var withoutLinks = MarkdownLink().Replace(trimmed, "$1");
        withoutLinks = AngleLink().Replace(withoutLinks, "");
        withoutLinks = BareLink().Replace(withoutLinks, "");
        return MultipleSpaces().Replace(withoutLinks, " ").Trim();
    }

    /// <summary>Pending → approved, rejected or spam; a decided comment stays decided.</summary>
    public static string? CheckModeration(CommentStatus current, CommentStatus to) =>
        current != CommentStatus.Pending ? $"The comment was already {current.ToSnakeCase()}."
        : to == CommentStatus.Pending ? "A comment cannot be moved back to pending."
        : null;

    [GeneratedRegex(@"!?\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"<[a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*>")]
    private static partial Regex AngleLink();

    [GeneratedRegex(@"\b(?:(?:https?|ftp)://|www\.)\S+", RegexOptions.IgnoreCase)]
    private static partial Regex BareLink();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex MultipleSpaces();
}
