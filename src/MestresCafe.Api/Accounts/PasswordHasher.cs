using System.Globalization;
using System.Security.Cryptography;

namespace MestresCafe.Api.Accounts;

/// <summary>
/// PBKDF2-HMAC-SHA256 with 600,000 iterations (the current OWASP figure for this function), a
/// 16-byte random salt and a 32-byte key, stored as <c>pbkdf2-sha256$iterations$salt$key</c>.
/// </summary>
/// <remarks>
/// PBKDF2 rather than Argon2id because it ships in the framework (FIPS-validated, constant-time
/// comparison included): no native or unmaintained package in the login path. The iteration count
/// is stored with each hash so it can rise later and old hashes still verify (and get rehashed).
/// </remarks>
public static class PasswordHasher
{
    /// <summary>The work factor every server hashes with: the current OWASP figure for PBKDF2-HMAC-SHA256.</summary>
    public const int RecommendedIterations = 600_000;

    /// <summary>The work factor of new hashes, below which a stored hash is redone at the next login.</summary>
    public static int Iterations { get; private set; } = RecommendedIterations;
    private const int SaltBytes = 16;
    private const int KeyBytes = 32;
    private const string Scheme = "pbkdf2-sha256";

    /// <summary>
    /// Lowers the work factor for the calling process. For test processes only: at 600,000 iterations
    /// every sign-in a test makes costs about 0.3 s of CPU twice (the hash, then the login's check), which
    /// on two cores was a large share of the whole suite. Servers never call it; a hash carries its own
    /// count, so a hash made here verifies in any server.
    /// </summary>
    public static void UseWorkFactorForTests(int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        Iterations = iterations;
    }

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, KeyBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(key));
    }

    public static bool Verify(string password, string? stored)
    {
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var iterationsText, var saltText, var keyText]
            || !int.TryParse(iterationsText, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(saltText);
            var expected = Convert.FromBase64String(keyText);
            var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>True when the hash was made with fewer iterations than today's and should be redone at next login.</summary>
    public static bool NeedsRehash(string stored) =>
        stored.Split('$') is not [Scheme, var iterations, _, _] || iterations != Iterations.ToString(CultureInfo.InvariantCulture);
}
