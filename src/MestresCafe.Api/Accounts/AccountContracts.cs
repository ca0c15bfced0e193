using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace MestresCafe.Api.Accounts;

// Requests carry only what a client may set: anything else in the body (id, email on a profile
// update, isAdmin, roles, customerId...) is not bound. Strings are nullable so that a missing field
// becomes a field error rather than a binding failure; the annotations are checked before the
// handler runs (AddValidation), and every invalid field is named at once.

public sealed record RegisterRequest(
    [Required(ErrorMessage = AccountInputMessages.EmailRequired), AccountEmail] string? Email,
    [Required(ErrorMessage = AccountInputMessages.PasswordRequired), NewPassword] string? Password,
    [Required(ErrorMessage = AccountInputMessages.NameRequired), PersonName] string? FirstName,
    [PersonName] string? LastName,
    [PhoneNumber] string? Phone) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AccountRules.PasswordIsEmail(Password, Email))
        {
            yield return new ValidationResult("The password must not be the e-mail.", ["password"]);
        }
    }
}

public sealed record LoginRequest(
    [Required(ErrorMessage = AccountInputMessages.LoginEmail), StringLength(AccountRules.MaxEmailLength, ErrorMessage = AccountInputMessages.LoginEmail)] string? Email,
    // Bounded before it is hashed; a blank-looking password is still a password to check.
    [Required(AllowEmptyStrings = true, ErrorMessage = AccountInputMessages.LoginPassword)]
    [StringLength(AccountInputMessages.MaxLoginPasswordLength, MinimumLength = 1, ErrorMessage = AccountInputMessages.LoginPassword)]
    string? Password);

public sealed record RefreshRequest(
    [Required(AllowEmptyStrings = true, ErrorMessage = "The refresh token is required."), MinLength(1, ErrorMessage = "The refresh token is required.")]
    string? RefreshToken);

public sealed record PasswordResetRequest([Required(ErrorMessage = AccountInputMessages.EmailRequired), AccountEmail] string? Email);

public sealed record PasswordResetConfirmation(
    [Required(ErrorMessage = "The reset token is missing or malformed."), SessionToken(ErrorMessage = "The reset token is missing or malformed.")] string? Token,
    [Required(ErrorMessage = AccountInputMessages.PasswordRequired), NewPassword] string? NewPassword);

/// <summary>A partial update: an absent (or null) field stays as it is; an empty string clears phone, avatar and bio.</summary>
public sealed record ProfileUpdate(
    // A present name may not be blanked: first_name is what every greeting uses.
    [NotBlank(ErrorMessage = AccountInputMessages.NameRequired), PersonName] string? FirstName,
    [PersonName] string? LastName,
    [PhoneNumber] string? Phone,
    [AvatarUrl] string? AvatarUrl,
    [StringLength(AccountRules.MaxBioLength, ErrorMessage = "At most {1} characters.")] string? Bio,
    [Preferences] JsonElement? Preferences,
    [LanguageTag] string? Language,
    [TimeZoneId] string? Timezone);

/// <summary>Messages that more than one request type uses.</summary>
public static class AccountInputMessages
{
    public const int MaxLoginPasswordLength = 1024;
    public const string EmailRequired = "The e-mail is required.";
    public const string PasswordRequired = "The password is required.";
    public const string NameRequired = "The name is required.";
    public const string LoginEmail = "The e-mail is required (at most 254 characters).";
    public const string LoginPassword = "The password is required (at most 1024 characters).";
}

/// <summary>
/// The bearer pair: the access token goes in <c>Authorization: Bearer</c>; the refresh token is
/// exchanged once at POST /api/auth/refresh for a new pair.
/// </summary>
public sealed record AuthTokens(
    string AccessToken, string RefreshToken, string TokenType, DateTimeOffset ExpiresAt, DateTimeOffset RefreshExpiresAt, long UserId);

public sealed record UserProfile(
    long Id,
    string Email,
    string? Username,
    string FirstName,
    string LastName,
    string? Phone,
    string? AvatarUrl,
    string? Bio,
    JsonElement Preferences,
    string Language,
    string Timezone,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastLogin,
    long? CustomerId,
    string? CustomerNumber,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Permissions,
    bool EmailVerified);

/// <summary>
/// The answer to a sign-up, the same whether the e-mail was free or taken: the next step is in the
/// mailbox (a confirmation link, or a note to the owner), and the password signs in.
/// </summary>
public sealed record RegistrationAccepted(string Message);

public sealed record EmailVerificationConfirmation(
    [Required(ErrorMessage = "The confirmation token is missing or malformed."), SessionToken(ErrorMessage = "The confirmation token is missing or malformed.")] string? Token);
