using System.Security.Cryptography;
using System.Text;
using MestresCafe.Data.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Cart;

/// <summary>The "Cart" section.</summary>
public sealed class CartOptions
{
    public const string Section = "Cart";

    /// <summary>The server key that signs visitor cart ids (at least 32 bytes; every server of a deployment shares it).</summary>
    public string? VisitorTokenKey { get; set; }
}

/// <summary>
/// Visitor cart ids are issued by the server: 128 random bits and an HMAC-SHA256 tag over them with
/// the server key (<c>id.tag</c>). A server tells its own ids from invented or altered ones without
/// any lookup, so a made-up id never reaches a cart grain (no activation, no storage read) and
/// another visitor's cart can only be reached with the token that visitor was given.
/// </summary>
/// <remarks>
/// Chosen over a random id registered in the cart grain's state: that check would activate a grain
/// and read PostgreSQL for every invented id a client sends, which is work an attacker chooses.
/// </remarks>
public sealed class VisitorCartTokens(IOptions<CartOptions> options)
{
    private const int IdBytes = 16;
    private const int TagBytes = 16;

    /// <summary>The hex id, a dot and the 22 base64url characters of the tag.</summary>
    public const int TokenLength = IdBytes * 2 + 1 + 22;
    private const string Purpose = "mestrescafe/visitor-cart/v1:";

    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.VisitorTokenKey ?? "");

    /// <summary>A new cart id and the token the visitor presents for it.</summary>
    public (string CartId, string Token) Issue()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        return (id, id + "." + Base64UrlTag(id));
    }

    /// <summary>The cart id of a token this deployment issued; false for anything else.</summary>
    public bool TryRead(string? token, out string cartId)
    {
        cartId = "";
        if (token is null || token.Length != TokenLength || token[IdBytes * 2] != '.')
        {
            return false;
        }

        var id = token[..(IdBytes * 2)];
        if (!id.All(char.IsAsciiHexDigitLower))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Base64UrlTag(id));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token[(IdBytes * 2 + 1)..])))
        {
            return false;
        }

        cartId = id;
        return true;
    }

    private string Base64UrlTag(string id) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(Purpose + id))[..TagBytes])
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public static class CartHostingExtensions
{
    /// <summary>Visitor cart tokens, signed with <c>Cart:VisitorTokenKey</c> (a required secret).</summary>
    public static IHostApplicationBuilder AddMestresCart(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CartOptions>()
            .BindConfiguration(CartOptions.Section)
            .RequireSecret($"{CartOptions.Section}:{nameof(CartOptions.VisitorTokenKey)}", o => o.VisitorTokenKey, (o, secret) => o.VisitorTokenKey = secret);
        builder.Services.AddSingleton<VisitorCartTokens>();
        return builder;
    }
}
