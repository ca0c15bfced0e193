using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// Request and response examples, in pt-BR like the shop itself, for the storefront operations a
/// client integrates first: sign-up and sign-in, the catalog, the cart and the checkout.
/// </summary>
internal sealed class StorefrontExamplesTransformer : IOpenApiOperationTransformer
{
    private static readonly JsonObject Address = new()
    {
        ["recipientName"] = "Ana Souza",
        ["street"] = "Rua Augusta",
        ["number"] = "1500",
        ["complement"] = "Apto 42",
        ["district"] = "Consolação",
        ["city"] = "São Paulo",
        ["state"] = "SP",
        ["postalCode"] = "01304-001",
        ["phone"] = "+55 11 98765-4321",
    };

    private static readonly JsonObject Cart = new()
    {
        ["lines"] = new JsonArray(new JsonObject
        {
            ["sku"] = "SM-BOURBON-AMARELO", ["name"] = "Café Sul de Minas Bourbon Amarelo 250 g", ["quantity"] = 2,
            ["unitPrice"] = 49.9, ["lineTotal"] = 99.8, ["available"] = 37, ["purchasable"] = true,
        }),
        ["subtotal"] = 99.8,
        ["currency"] = "BRL",
        ["readyForCheckout"] = true,
        ["version"] = 3,
    };

    /// <summary>By operation id: the request body's example, and the success status with its example.</summary>
    private static readonly Dictionary<string, (JsonNode? Request, string Status, JsonNode? Response)> Examples = new(StringComparer.Ordinal)
    {
        ["Register"] = (
            new JsonObject { ["email"] = "ana.souza@exemplo.com.br", ["password"] = "cafe-com-leite-2026", ["firstName"] = "Ana", ["lastName"] = "Souza", ["phone"] = "+55 11 98765-4321" },
            "202",
            new JsonObject { ["message"] = "Enviamos uma mensagem para o e-mail informado: siga o link dela para confirmar o endereço." }),
        ["Login"] = (
            new JsonObject { ["email"] = "ana.souza@exemplo.com.br", ["password"] = "cafe-com-leite-2026" },
            "200",
            new JsonObject
            {
                ["accessToken"] = "q8Zp2Vd0Wm4nS7xK1cR9tYb3Lh6Ea5Ju0Gf8Oi2PwNs", ["refreshToken"] = "Xr5Tn8Bq1Lw4Zs7Dk0Vh3Mc6Fp9Jy2Ge5Ua8Ri1OtKe",
                ["tokenType"] = "Bearer", ["expiresAt"] = "2026-12-02T15:15:00+00:00", ["refreshExpiresAt"] = "2027-01-01T15:00:00+00:00", ["userId"] = 1042,
            }),
        ["ListProducts"] = (null, "200", new JsonObject
        {
            ["items"] = new JsonArray(new JsonObject
            {
                ["id"] = 12, ["slug"] = "cafe-sul-de-minas-bourbon-amarelo", ["name"] = "Café Sul de Minas Bourbon Amarelo 250 g",
                ["shortDescription"] = "Notas de mel, caramelo e laranja; torra média.", ["price"] = 49.9, ["comparePrice"] = 59.9,
                ["isFeatured"] = true, ["inStock"] = true, ["category"] = new JsonObject { ["id"] = 2, ["slug"] = "cafes-especiais", ["name"] = "Cafés especiais" },
                ["brand"] = new JsonObject { ["id"] = 1, ["slug"] = "mestres-cafe", ["name"] = "Mestres Café" }, ["image"] = null,
                ["rating"] = new JsonObject { ["average"] = 4.8, ["count"] = 23 }, ["createdAt"] = "2026-09-14T10:00:00+00:00", ["relevance"] = null,
            }),
            ["page"] = 1, ["pageSize"] = 20, ["totalCount"] = 1, ["totalPages"] = 1,
        }),
        ["GetCart"] = (null, "200", Cart),
        ["AddCartItem"] = (new JsonObject { ["sku"] = "SM-BOURBON-AMARELO", ["quantity"] = 2 }, "200", Cart),
        ["Checkout"] = (
            new JsonObject { ["shippingAddress"] = Address, ["paymentMethod"] = "pix", ["shippingMethod"] = "sedex", ["couponCode"] = "BEMVINDO10" },
            "201",
            null),
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not { } id || !Examples.TryGetValue(id, out var example))
        {
            return Task.CompletedTask;
        }

        if (example.Request is not null && operation.RequestBody?.Content?.TryGetValue("application/json", out var request) == true)
        {
            request.Example = example.Request.DeepClone();
        }

        if (example.Response is not null && operation.Responses?.TryGetValue(example.Status, out var response) == true && response.Content?.TryGetValue("application/json", out var body) == true)
        {
            body.Example = example.Response.DeepClone();
        }

        return Task.CompletedTask;
    }
}
