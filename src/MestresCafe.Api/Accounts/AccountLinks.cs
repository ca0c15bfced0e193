using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using MestresCafe.Api.Security;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// Links that carry a single-use account token (password reset, e-mail confirmation); the 'security'
/// notifications that deliver them are written by the account stores with the token's row.
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
}

/// <summary>A token's stored form (its SHA-256) and its delivered form (the sealed link).</summary>
public sealed record IssuedLink(string TokenHash, string SealedLink);
