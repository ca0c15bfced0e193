using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MestresCafe.Api.Security;

/// <summary>
/// Opaque bearer secrets: 32 random bytes, base64url. Only their SHA-256 (hex) is stored, so a
/// copy of the database or of Redis holds nothing a client could present.
/// </summary>
public static class SessionTokens
{
    private const int TokenBytes = 32;

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Rejects anything that cannot be one of our tokens before it costs a lookup.</summary>
    public static bool LooksValid(string? token) =>
        token is { Length: 43 } && Base64Url.IsValid(token);
}
