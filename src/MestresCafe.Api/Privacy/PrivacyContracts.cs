using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Privacy;

/// <summary>The customer confirms an erasure of their own account with their password.</summary>
public sealed record ErasureRequest(
    [Required(ErrorMessage = "Required."), StringLength(1024, ErrorMessage = "At most {1} characters.")] string? Password);

/// <summary>An erasure done (now or earlier: the call is idempotent).</summary>
/// <param name="AlreadyErased">True when the account had been erased before this call.</param>
public sealed record ErasureReceipt(long UserId, DateTimeOffset ErasedAt, bool AlreadyErased);
