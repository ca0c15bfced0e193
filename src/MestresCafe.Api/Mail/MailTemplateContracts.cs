using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Infrastructure.Validation;

namespace MestresCafe.Api.Mail;

/// <summary>
/// A template as the back office writes it: subject, HTML and text bodies in Liquid (the text body
/// is the alternative every message carries, so it is required), and the sample data it must render
/// with (an object; kept for previews).
/// </summary>
public sealed record EmailTemplateRequest(
    [Required, StringLength(255)] string Subject,
    [Required, StringLength(200_000)] string Html,
    [Required, StringLength(100_000)] string Text,
    [OneOf("transactional", "marketing", "newsletter", "notification", Optional = true)] string? Type,
    JsonElement? SampleData,
    bool? IsActive) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SampleData is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Undefined) })
        {
            yield return new ValidationResult("An object of the values the template uses.", [nameof(SampleData)]);
        }
    }
}

/// <summary>What a preview or a send shows: the rendered subject and both bodies.</summary>
public sealed record MailPreview(string Subject, string Html, string Text);
