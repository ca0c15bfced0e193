using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Marketing;

namespace MestresCafe.Api.Marketing;

/// <summary>A topic of <see cref="NewsletterTopics.All"/>.</summary>
public sealed class NewsletterTopicAttribute() : OneOfAttribute(NewsletterTopics.All, "One of")
{
}

/// <summary>A list of distinct topics of <see cref="NewsletterTopics.All"/> (empty: every topic).</summary>
public sealed class NewsletterTopicListAttribute : ValidationAttribute
{
    public NewsletterTopicListAttribute()
        : base("Each topic once, one of: " + string.Join(", ", NewsletterTopics.All) + ".")
    {
    }

    public override bool IsValid(object? value) => value is not string[] topics
        || (topics.All(t => NewsletterTopics.All.Contains(t, StringComparer.Ordinal)) && topics.Distinct(StringComparer.Ordinal).Count() == topics.Length);
}

/// <summary>A reason the unsubscribe page offers (<see cref="UnsubscribeReasons.Chosen"/>).</summary>
public sealed class UnsubscribeReasonAttribute() : OneOfAttribute(UnsubscribeReasons.Chosen, "One of")
{
    // Absent: the one-click unsubscribe, which asks nothing.
}

/// <summary>The storefront's newsletter form.</summary>
public sealed record NewsletterSignUp(
    [Required(ErrorMessage = "Required."), EmailAddress(ErrorMessage = "An e-mail address."), TrimmedLength(254)] string? Email,
    [NewsletterTopicList] string[]? Topics,
    // The honeypot, as on the wholesale form: hidden from people, filled by bots.
    [TrimmedLength(500)] string? Website);

public sealed record NewsletterConfirmRequest([Required(ErrorMessage = "Required."), StringLength(2000)] string? Token);

public sealed record NewsletterPreferencesUpdate([Required(ErrorMessage = "Required."), NewsletterTopicList] string[]? Topics);

/// <summary>The unsubscribe page's answer (JSON), or nothing (a mail client's one-click POST, form-encoded).</summary>
public sealed record UnsubscribeRequest([UnsubscribeReason(Optional = true)] string? Reason);

/// <summary>A subscription as its owner sees it through a link.</summary>
public sealed record NewsletterStatus(string Email, string Status, IReadOnlyList<string> Topics, IReadOnlyList<string> AvailableTopics, string? UnsubscribeReason);
