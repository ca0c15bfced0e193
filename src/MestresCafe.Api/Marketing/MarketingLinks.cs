using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Data.Marketing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Marketing;

/// <summary>A subscriber link read back: whom it speaks for, and the campaign recipient it came to (when it came with a campaign).</summary>
public sealed record SubscriberLink(NewsletterSubject Subject, long? RecipientId);

/// <summary>A confirmation link read back: the address, its topics, when it was issued.</summary>
public sealed record NewsletterConfirmation(string Email, IReadOnlyList<string> Topics, DateTimeOffset IssuedAt);

/// <summary>
/// The signed links of marketing e-mail: unsubscribe and preferences (per subscriber, with the
/// campaign recipient when there is one), the open pixel and click redirects (per recipient, a click
/// signed with its target so the redirect is never an open redirect), and the newsletter
/// confirmation (address, topics and time of issue, checked against a lifetime). Each is an
/// HMAC-SHA256 (128 bits kept) under a key derived from <c>Accounts:LinkKey</c> for this purpose
/// alone (HKDF), so no new secret has to be deployed and the account links' key is never used
/// as it is. Nothing is stored: a link proves itself.
/// </summary>
public sealed class MarketingLinks(IOptions<AccountOptions> accounts, IOptions<Mail.MailOptions> mail)
{
    public const string ConfirmPagePath = "/newsletter/confirmar";
    public const string UnsubscribePagePath = "/newsletter/descadastrar";
    public const string PreferencesPagePath = "/newsletter/preferencias";
    public const string UnsubscribeApiPath = "/api/newsletter/unsubscribe/";
    public const string OpenApiPath = "/api/marketing/open/";
    public const string ClickApiPath = "/api/marketing/click/";
    public const string TextClickApiPath = "/api/marketing/t/";

    private const int MacBytes = 16;
    // A text is billed per segment, so its links are short: 64 bits still make a forged click a guess in 2^64.
    private const int TextMacBytes = 8;
    private static readonly byte[] KeyPurpose = "mestrescafe marketing links v1"u8.ToArray();

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(accounts.Value.LinkKey!), 32, info: KeyPurpose);

    public string BaseUrl => mail.Value.PublicBaseUrl.TrimEnd('/');

    /// <summary>"u12.r345.MAC": the account 12 (or "s7", the newsletter-only subscription 7), from campaign recipient 345.</summary>
    public string SubscriberToken(string subject, long? recipientId)
    {
        var payload = recipientId is { } r ? string.Create(CultureInfo.InvariantCulture, $"{subject}.r{r}") : subject;
        return payload + "." + Mac("subscriber", payload);
    }

    public SubscriberLink? ReadSubscriberToken(string token)
    {
        var cut = token.LastIndexOf('.');
        if (cut <= 0 || !Verify("subscriber", token[..cut], token[(cut + 1)..]))
        {
            return null;
        }

        var parts = token[..cut].Split('.');
        if (parts.Length > 2 || parts[0].Length < 2 || !TryId(parts[0][1..], out var id))
        {
            return null;
        }

        long? recipient = null;
        if (parts.Length == 2)
        {
            if (parts[1].Length < 2 || parts[1][0] != 'r' || !TryId(parts[1][1..], out var r))
            {
                return null;
            }

            recipient = r;
        }

        return parts[0][0] switch
        {
            'u' => new SubscriberLink(new NewsletterSubject(id, null), recipient),
            's' => new SubscriberLink(new NewsletterSubject(null, id), recipient),
            _ => null,
        };
    }

    public string OpenToken(long recipientId)
    {
        var payload = recipientId.ToString(CultureInfo.InvariantCulture);
        return payload + "." + Mac("open", payload);
    }

    public long? ReadOpenToken(string token)
    {
        var cut = token.IndexOf('.');
        return cut > 0 && TryId(token[..cut], out var id) && Verify("open", token[..cut], token[(cut + 1)..]) ? id : null;
    }

    /// <summary>The click link's token: signed over the recipient and the target, which travels beside it in the query.</summary>
    public string ClickToken(long recipientId, string target)
    {
        var id = recipientId.ToString(CultureInfo.InvariantCulture);
        return id + "." + Mac("click", id + "\n" + target);
    }

    public long? ReadClickToken(string token, string target)
    {
        var cut = token.IndexOf('.');
        return cut > 0 && TryId(token[..cut], out var id) && Verify("click", token[..cut] + "\n" + target, token[(cut + 1)..]) ? id : null;
    }

    /// <summary>
    /// A marketing text's short link: "345.MAC" (recipient 345, the body's first link) or "345-2.MAC"
    /// (its third). The target is not in the link: the redirect reads it from the campaign's body,
    /// which cannot change once sending started.
    /// </summary>
    public string TextClickToken(long recipientId, int linkIndex)
    {
        var payload = linkIndex == 0
            ? recipientId.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{recipientId}-{linkIndex}");
        return payload + "." + Mac("text-click", payload, TextMacBytes);
    }

    public (long RecipientId, int LinkIndex)? ReadTextClickToken(string token)
    {
        var cut = token.IndexOf('.');
        if (cut <= 0 || !Verify("text-click", token[..cut], token[(cut + 1)..], TextMacBytes))
        {
            return null;
        }

        var parts = token[..cut].Split('-');
        var index = 0;
        return parts.Length <= 2 && TryId(parts[0], out var id)
            && (parts.Length == 1 || int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out index))
            ? (id, index)
            : null;
    }

    public string TextClickUrl(long recipientId, int linkIndex) => BaseUrl + TextClickApiPath + TextClickToken(recipientId, linkIndex);

    public string ConfirmationToken(string email, IReadOnlyList<string> topics, DateTimeOffset issuedAt)
    {
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new ConfirmationPayload(email, topics.ToArray(), issuedAt.ToUnixTimeSeconds())));
        return payload + "." + Mac("confirm", payload);
    }

    /// <summary>The confirmation, when the token is genuine and younger than <paramref name="lifetime"/> at <paramref name="now"/>.</summary>
    public NewsletterConfirmation? ReadConfirmationToken(string token, DateTimeOffset now, TimeSpan lifetime)
    {
        var cut = token.IndexOf('.');
        if (cut <= 0 || !Verify("confirm", token[..cut], token[(cut + 1)..]))
        {
            return null;
        }

        try
        {
            var payload = JsonSerializer.Deserialize<ConfirmationPayload>(Base64Url.DecodeFromChars(token.AsSpan(0, cut)));
            if (payload is null)
            {
                return null;
            }

            var issued = DateTimeOffset.FromUnixTimeSeconds(payload.I);
            return issued > now || now - issued > lifetime ? null : new NewsletterConfirmation(payload.E, payload.T, issued);
        }
        catch (Exception error) when (error is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    public string UnsubscribePageUrl(string subscriberToken) => $"{BaseUrl}{UnsubscribePagePath}?token={subscriberToken}";

    public string PreferencesPageUrl(string subscriberToken) => $"{BaseUrl}{PreferencesPagePath}?token={subscriberToken}";

    /// <summary>The RFC 8058 one-click target: the API itself, which a mail client POSTs to.</summary>
    public string OneClickUrl(string subscriberToken) => BaseUrl + UnsubscribeApiPath + subscriberToken;

    public string OpenUrl(long recipientId) => BaseUrl + OpenApiPath + OpenToken(recipientId);

    public string ClickUrl(long recipientId, string target) =>
        $"{BaseUrl}{ClickApiPath}{ClickToken(recipientId, target)}?u={Uri.EscapeDataString(target)}";

    private string Mac(string purpose, string payload, int bytes = MacBytes) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + payload)).AsSpan(0, bytes));

    private bool Verify(string purpose, string payload, string mac, int bytes = MacBytes)
    {
        Span<byte> presented = stackalloc byte[MacBytes + 2];
        if (!Base64Url.IsValid(mac) || Base64Url.GetMaxDecodedLength(mac.Length) > presented.Length
            || Base64Url.DecodeFromChars(mac, presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != bytes)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + payload)).AsSpan(0, bytes);
        return CryptographicOperations.FixedTimeEquals(presented[..bytes], expected);
    }

    private static bool TryId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private sealed record ConfirmationPayload(string E, string[] T, long I);
}
