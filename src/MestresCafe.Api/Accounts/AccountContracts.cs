using System.Text.Json;

namespace MestresCafe.Api.Accounts;

// Requests carry only what a client may set: anything else in the body (id, email on a profile
// update, isAdmin, roles, customerId...) is not bound. Strings are nullable so that a missing field
// becomes a field error rather than a binding failure.

public sealed record RegisterRequest(string? Email, string? Password, string? FirstName, string? LastName, string? Phone);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record PasswordResetRequest(string? Email);

public sealed record PasswordResetConfirmation(string? Token, string? NewPassword);

/// <summary>A partial update: an absent (or null) field stays as it is; an empty string clears phone, avatar and bio.</summary>
public sealed record ProfileUpdate(
    string? FirstName,
    string? LastName,
    string? Phone,
    string? AvatarUrl,
    string? Bio,
    JsonElement? Preferences,
    string? Language,
    string? Timezone);

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

public sealed record EmailVerificationConfirmation(string? Token);
