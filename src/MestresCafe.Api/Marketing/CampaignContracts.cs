using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Marketing;

namespace MestresCafe.Api.Marketing;

/// <summary>A campaign as the back office writes it.</summary>
public sealed record CampaignInput(
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(200)] string? Name,
    [TrimmedLength(2000)] string? Description,
    [Required(ErrorMessage = "Required."), NotBlank, TrimmedLength(100)] string? Template,
    [Required(ErrorMessage = "Required."), OneOf(CampaignAudiences.Segment, CampaignAudiences.Newsletter)] string? Audience,
    [RowId] long? SegmentId,
    [NewsletterTopic(Optional = true)] string? NewsletterTopic,
    [Range(1, 10_000)] int? SendRatePerSecond,
    [Range(1, 90)] int? ConversionWindowDays) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
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

/// <summary>A campaign's e-mail rendered with its template's sample data.</summary>
public sealed record CampaignPreview(string Subject, string Html, string Text);

public sealed record CampaignTestSent(Guid MessageId, string Recipient);
