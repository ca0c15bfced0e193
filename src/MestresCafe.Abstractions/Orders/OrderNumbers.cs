using System.Security.Cryptography;
using System.Text;

namespace MestresCafe.Orders;

/// <summary>
/// Order numbers are derived from the user and the client's Idempotency-Key: a retry maps to the
/// same order grain without any lookup, and different users' keys never collide.
/// </summary>
public static class OrderNumbers
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

    public static string For(long userId, string idempotencyKey)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}:{idempotencyKey}"));
        var text = new StringBuilder("MC-", 15);
        ulong bits = BitConverter.ToUInt64(hash, 0);
        for (var i = 0; i < 12; i++)
        {
            text.Append(Alphabet[(int)(bits & 31)]);
            bits >>= 5;
        }

        return text.ToString();
    }

    /// <summary>The reservation id every line of an order uses, stable across retries.</summary>
    public static Guid ReservationId(string orderNumber) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("reservation:" + orderNumber)));
}
