using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Accounts;

public sealed record RoleView(long Id, string Name, string? Description, bool IsDefault, IReadOnlyList<string> Permissions);

public sealed record UserSummary(
    long Id, string Email, string FirstName, string LastName, bool IsActive, bool IsAdmin,
    DateTimeOffset CreatedAt, DateTimeOffset? LastLogin, IReadOnlyList<string> Roles);

public sealed record UserPage(IReadOnlyList<UserSummary> Items, int Page, int PageSize, long Total);

public sealed record RoleAssignment(string Role, DateTimeOffset AssignedAt, long? AssignedBy, DateTimeOffset? ExpiresAt, bool IsExpired);

public sealed record UserDetail(
    long Id, string Email, string? Username, string FirstName, string LastName, string? Phone, bool IsActive, bool IsAdmin,
    DateTimeOffset CreatedAt, DateTimeOffset? LastLogin, long? CustomerId, IReadOnlyList<RoleAssignment> Roles, int ActiveSessions);

/// <summary>Assigns a role; without an expiry it lasts until revoked.</summary>
public sealed record RoleAssignmentRequest(DateTimeOffset? ExpiresAt) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ExpiresAt is { } expiresAt && expiresAt <= DateTimeOffset.UtcNow)
        {
            yield return new ValidationResult("The expiry must be in the future.", ["expiresAt"]);
        }
    }
}

public sealed record SessionsRevoked(int Revoked);
