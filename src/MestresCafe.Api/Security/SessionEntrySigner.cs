using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Security;

/// <summary>
/// Signs the Redis copy of a session: <c>v1:&lt;HMAC-SHA256 hex&gt;:&lt;principal JSON&gt;</c>, the
/// MAC taken with <see cref="SessionOptions.SigningKey"/> over the token hash and the JSON.
/// </summary>
/// <remarks>
/// Redis is a cache, not an authority: anyone who can write to it could otherwise put
/// <c>roles: [admin]</c> into an entry. The token hash is inside the MAC, so a genuine entry cannot
/// be copied under another token's key either. Markers (revoked, reload) are not signed: a forged
/// one can only make a server refuse a token or read PostgreSQL, never grant anything.
/// </remarks>
public sealed class SessionEntrySigner(IOptions<SessionOptions> options)
{
    private const string Version = "v1:";
    private const int MacHexLength = 64;

    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.SigningKey!);

    public string Sign(string tokenHash, SessionPrincipal principal)
    {
        var json = JsonSerializer.Serialize(principal, JsonSerializerOptions.Web);
        return Version + Convert.ToHexStringLower(Mac(tokenHash, json)) + ":" + json;
    }

    /// <summary>The principal of an entry this server family signed for this token; null for anything else.</summary>
    public SessionPrincipal? Verify(string tokenHash, string entry)
    {
        if (!entry.StartsWith(Version, StringComparison.Ordinal)
            || entry.Length <= Version.Length + MacHexLength + 1
            || entry[Version.Length + MacHexLength] != ':')
        {
            return null;
        }

        byte[] presented;
        try
        {
            presented = Convert.FromHexString(entry.AsSpan(Version.Length, MacHexLength));
        }
        catch (FormatException)
        {
            return null;
        }

        var json = entry[(Version.Length + MacHexLength + 1)..];
        if (!CryptographicOperations.FixedTimeEquals(presented, Mac(tokenHash, json)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SessionPrincipal>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private byte[] Mac(string tokenHash, string json) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(tokenHash + "\n" + json));
}
