using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Accounts;

public sealed record PermissionView(long Id, string Name, string Resource, string Action, string? Description);

/// <summary>A new role, granting nothing until permissions are granted to it.</summary>
public sealed record CreateRoleRequest(
    // The roles table checks the same pattern and length.
    [Required(ErrorMessage = "The name is required.")]
    [StringLength(50, ErrorMessage = "At most {1} characters.")]
    [RegularExpression("^[a-z][a-z0-9_]*$", ErrorMessage = "Lower-case letters, digits and _, starting with a letter (e.g. estoquista).")]
    string? Name,
    [StringLength(255, ErrorMessage = "At most {1} characters.")] string? Description);
