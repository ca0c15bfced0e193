using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MestresCafe.Payments;

/// <summary>What a gateway tells about a card behind a token: never the number.</summary>
public sealed record CardTokenDetails(string Brand, string LastFour, int ExpiryMonth, int ExpiryYear);

/// <summary>
/// The simulated gateway's card tokens. A real gateway takes the number from the buyer's browser
/// and answers with an opaque token; the store saves the token and asks the gateway what card it
/// stands for. Here the token carries its details signed with the gateway's secret, so any server
/// can answer the question and a token made up by a client is refused.
/// </summary>
public static class SimulatedCardTokens
{
    private const string Prefix = "tok_";

    public static string Issue(string secret, CardTokenDetails details)
    {
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Payload(details.Brand, details.LastFour, details.ExpiryMonth, details.ExpiryYear,
            Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)))));
        return Prefix + payload + "." + Sign(secret, payload);
    }

    /// <summary>The card behind a token this gateway issued; null for any other string.</summary>
    public static CardTokenDetails? Read(string secret, string? token)
    {
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token[Prefix.Length..].Split('.') is not [var payload, var signature])
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(Sign(secret, payload))))
        {
            return null;
        }

        var read = JsonSerializer.Deserialize<Payload>(Convert.FromBase64String(FromBase64Url(payload)))!;
        return new CardTokenDetails(read.Brand, read.LastFour, read.ExpiryMonth, read.ExpiryYear);
    }

    private static string Sign(string secret, string payload) =>
        Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes("card-token:" + payload)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
    }

    private sealed record Payload(string Brand, string LastFour, int ExpiryMonth, int ExpiryYear, string Nonce);
}
