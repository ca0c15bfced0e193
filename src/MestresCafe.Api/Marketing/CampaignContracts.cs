using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Marketing;

namespace MestresCafe.Api.Marketing;

/// <summary>
/// A campaign as the back office writes it: an e-mail one names a template; a text one (channel
/// text) carries its body in the notices' template language (e.g. <c>{{ first_name }}</c>), whose
/// links become short tracked links and which ends with the opt-out line.
/// </summary>
public sealed record CampaignInput(
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(200)] string? Name,
    [TrimmedLength(2000)] string? Description,
    [NotBlank, TrimmedLength(100)] string? Template,
    [Required(ErrorMessage = "Required."), OneOf(CampaignAudiences.Segment, CampaignAudiences.Newsletter)] string? Audience,
    [RowId] long? SegmentId,
    [NewsletterTopic(Optional = true)] string? NewsletterTopic,
    [Range(1, 10_000)] int? SendRatePerSecond,
    [Range(1, 90)] int? ConversionWindowDays,
    [OneOf(CampaignChannels.Email, CampaignChannels.Text, Optional = true)] string? Channel = null,
    [NotBlank, TrimmedLength(2000)] string? TextBody = null) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var text = Channel == CampaignChannels.Text;
        if (!text && Template is null)
        {
            yield return new ValidationResult("Required for an e-mail campaign.", [nameof(Template)]);
        }

        if (text && Template is not null)
        {
            yield return new ValidationResult("Only for an e-mail campaign; a text campaign has a textBody.", [nameof(Template)]);
        }

        if (text && TextBody is null)
        {
            yield return new ValidationResult("Required for a text campaign.", [nameof(TextBody)]);
        }

        if (!text && TextBody is not null)
        {
            yield return new ValidationResult("Only for a text campaign.", [nameof(TextBody)]);
        }

        if (Audience == CampaignAudiences.Segment && SegmentId is null)
        {
            yield return new ValidationResult("Required for a segment audience.", [nameof(SegmentId)]);
        }

        if (Audience == CampaignAudiences.Newsletter && SegmentId is not null)
        {
            yield return new ValidationResult("Only for a segment audience.", [nameof(SegmentId)]);
        }

        if (Audience == CampaignAudiences.Segment && NewsletterTopic is not null)
        {
            yield return new ValidationResult("Only for a newsletter audience.", [nameof(NewsletterTopic)]);
        }
    }
}

public sealed record CampaignSchedule([Required(ErrorMessage = "Required.")] DateTimeOffset? SendAt);

/// <summary>
/// A campaign's message rendered with sample data: an e-mail's subject, HTML and text (with its
/// template's sample data), or a text's composed message (first name "Maria", short links, the
/// opt-out line) and its length (null subject and HTML).
/// </summary>
public sealed record CampaignPreview(string Channel, string? Subject, string? Html, string Text, int Length);

/// <param name="Recipient">The staff member's e-mail address, or phone for a text.</param>
public sealed record CampaignTestSent(Guid MessageId, string Recipient);
