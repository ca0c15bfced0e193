using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MestresCafe.Payments;

/// <summary>
/// The gateway signs each webhook with HMAC-SHA256 over "timestamp.body" under a shared secret and
/// sends <c>t=unix-seconds,v1=hex</c> in the <see cref="Header"/> header. A body that was not signed
/// with the secret, or whose timestamp is too old (a replay), is rejected.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Gateway-Signature";

    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        var seconds = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={seconds},v1={Compute(secret, seconds, body)}";
    }

    public static bool Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        string? seconds = null;
        string? signature = null;
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            switch (pair[0].Trim())
            {
                case "t": seconds = pair[1].Trim(); break;
                case "v1": signature = pair[1].Trim(); break;
            }
        }

        if (seconds is null || signature is null || !long.TryParse(seconds, CultureInfo.InvariantCulture, out var unix)
            || (now - DateTimeOffset.FromUnixTimeSeconds(unix)).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(secret, seconds, body));
        var actual = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static string Compute(string secret, string seconds, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{seconds}.{body}")));
}

/// <summary>The JSON body of a gateway webhook.</summary>
public sealed record GatewayWebhook(string Id, string Type, DateTimeOffset Created, GatewayWebhookData Data);

public sealed record GatewayWebhookData(string TransactionId, string OrderNumber, decimal Amount);
