using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Security;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Links that carry a single-use account token (password reset, e-mail confirmation), and the
/// 'security' notifications that deliver them.
/// </summary>
/// <remarks>
/// The token is 32 random bytes (base64url) and the database keeps only its SHA-256. The
/// notification (the outbox a mailer reads) keeps the link sealed with AES-256-GCM under
/// <see cref="AccountOptions.LinkKey"/>, so a copy of the database (a replica, a backup, the
/// reporting reader, a personal-data export) holds no token anyone could use; the mailer opens the
/// link with the same key as it sends the message.
/// </remarks>
public sealed class AccountLinks(IOptions<AccountOptions> options)
{
    public const string PasswordResetPath = "/conta/redefinir-senha";
    public const string EmailVerificationPath = "/conta/confirmar-email";

    private const int KeyBytes = 32;
    private static readonly byte[] KeyPurpose = "mestrescafe account links v1"u8.ToArray();

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(options.Value.LinkKey!), KeyBytes, info: KeyPurpose);

    /// <summary>A new token for the page at <paramref name="path"/>: the hash to store and the sealed link to send.</summary>
    public IssuedLink Issue(string path)
    {
        var token = SessionTokens.New();
        return new IssuedLink(SessionTokens.Hash(token), Seal($"{path}?token={token}"));
    }

    public string Seal(string link)
    {
        var plain = Encoding.UTF8.GetBytes(link);
        var sealedLink = new byte[AesGcm.NonceByteSizes.MaxSize + plain.Length + AesGcm.TagByteSizes.MaxSize];
        var nonce = sealedLink.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, AesGcm.TagByteSizes.MaxSize);
        aes.Encrypt(nonce, plain, sealedLink.AsSpan(nonce.Length, plain.Length), sealedLink.AsSpan(nonce.Length + plain.Length));
        return Base64Url.EncodeToString(sealedLink);
    }

    /// <summary>The link a mailer sends. Throws when the value was not sealed with this key.</summary>
    public string Open(string sealedLink)
    {
        var bytes = Base64Url.DecodeFromChars(sealedLink);
        var nonceBytes = AesGcm.NonceByteSizes.MaxSize;
        var tagBytes = AesGcm.TagByteSizes.MaxSize;
        var plain = new byte[bytes.Length - nonceBytes - tagBytes];
        using var aes = new AesGcm(_key, tagBytes);
        aes.Decrypt(bytes.AsSpan(0, nonceBytes), bytes.AsSpan(nonceBytes, plain.Length), bytes.AsSpan(nonceBytes + plain.Length), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// Inserts a 'security' notification for the active account with this e-mail, if there is one:
    /// the same statement runs whether or not the account exists.
    /// </summary>
    public static NpgsqlBatchCommand Notify(string email, SecurityMessage message, TimeSpan lifetime) =>
        new("""
            insert into notifications (user_id, type, title, content, data, expires_at)
            select id, 'security', $2, $3, $4, now() + $5 from users where email = $1 and is_active
            """)
        {
            Parameters =
            {
                new() { Value = email },
                new() { Value = message.Title },
                new() { Value = message.Content },
                new()
                {
                    NpgsqlDbType = NpgsqlDbType.Jsonb,
                    Value = JsonSerializer.Serialize(new Dictionary<string, string?> { ["kind"] = message.Kind, ["sealed_link"] = message.SealedLink }),
                },
                new() { Value = lifetime },
            },
        };
}

/// <summary>A token's stored form (its SHA-256) and its delivered form (the sealed link).</summary>
public sealed record IssuedLink(string TokenHash, string SealedLink);

/// <summary>An account message: its text never holds the token, the sealed link does.</summary>
public sealed record SecurityMessage(string Kind, string Title, string Content, string? SealedLink);
