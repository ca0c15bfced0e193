using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Privacy;

namespace MestresCafe.Api.Privacy;

/// <summary>The customer confirms an erasure of their own account with their password.</summary>
public sealed record ErasureRequest(
    [Required(ErrorMessage = "Required."), StringLength(1024, ErrorMessage = "At most {1} characters.")] string? Password);

/// <summary>An erasure done (now or earlier: the call is idempotent).</summary>
/// <param name="AlreadyErased">True when the account had been erased before this call.</param>
public sealed record ErasureReceipt(long UserId, DateTimeOffset ErasedAt, bool AlreadyErased);

/// <summary>One answer: a purpose of <see cref="MarketingConsent.Purposes"/> and whether the customer agrees.</summary>
public sealed record ConsentAnswer(string? Purpose, bool? Granted);

/// <summary>Answers to record, and where the customer gave them (account settings unless said).</summary>
public sealed record ConsentUpdate(
    [Required(ErrorMessage = "Required."), MinLength(1, ErrorMessage = "At least one."), MaxLength(8, ErrorMessage = "At most {1}.")] IReadOnlyList<ConsentAnswer>? Consents,
    [ConsentSource(Optional = true)] string? Source) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Consents!.Count; i++)
        {
            var answer = Consents[i];
            if (answer is null || !MarketingConsent.Purposes.Contains(answer.Purpose ?? ""))
            {
                yield return new ValidationResult($"One of: {string.Join(", ", MarketingConsent.Purposes)}.", [$"consents[{i}].purpose"]);
            }
            else if (!seen.Add(answer.Purpose!))
            {
                yield return new ValidationResult("Named twice.", [$"consents[{i}].purpose"]);
            }

            if (answer?.Granted is null)
            {
                yield return new ValidationResult("Required.", [$"consents[{i}].granted"]);
            }
        }
    }
}

/// <summary>A source of <see cref="MarketingConsent.Sources"/>.</summary>
public sealed class ConsentSourceAttribute() : OneOfAttribute(MarketingConsent.Sources, "One of")
{
}

/// <summary>A new export: the token downloads it once, when its status is ready.</summary>
public sealed record DataExportRequested(Guid Id, string Status, DateTimeOffset ExpiresAt, string DownloadToken, string DownloadUrl);
