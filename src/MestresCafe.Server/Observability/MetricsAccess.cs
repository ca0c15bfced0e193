using System.Security.Cryptography;
using System.Text;

namespace MestresCafe.Server.Observability;

/// <summary>
/// Who may read <c>/metrics</c>: a connection to the internal port, when one is configured, and a
/// request with the bearer token, when one is configured (both when both are).
/// </summary>
public sealed class MetricsAccess(int? port, string? bearerToken)
{
    private readonly byte[]? _expected = string.IsNullOrEmpty(bearerToken) ? null : Encoding.UTF8.GetBytes("Bearer " + bearerToken);

    /// <summary>200 when allowed; 404 on another port (the endpoint does not exist there); 401 without the token.</summary>
    public int Check(int localPort, string? authorization)
    {
        if (port is { } internalPort && localPort != internalPort)
        {
            return StatusCodes.Status404NotFound;
        }

        // Constant time, so the comparison does not tell a guesser how much of the token was right.
        return _expected is null || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization ?? ""), _expected)
            ? StatusCodes.Status200OK
            : StatusCodes.Status401Unauthorized;
    }
}
