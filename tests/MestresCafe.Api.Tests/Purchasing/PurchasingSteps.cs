using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MestresCafe.Api.Tests.Purchasing;

/// <summary>The back office's purchasing steps over HTTP, shared by the purchasing tests.</summary>
internal static class PurchasingSteps
{
    public const string Base = "/api/admin/purchasing";

    /// <summary>Valid CNPJs (check digits computed by <see cref="MestresCafe.TaxIds.Cnpj"/>'s rule) for suppliers of their own.</summary>
    public static string NewCnpj()
    {
        var digits = Random.Shared.GetItems("0123456789".ToCharArray(), 12);
        var withFirst = new string(digits) + CheckDigit(new string(digits));
        return withFirst + CheckDigit(withFirst);
    }

    private static char CheckDigit(string characters)
    {
        var sum = characters.Select((c, i) => (c - '0') * (2 + (characters.Length - 1 - i) % 8)).Sum();
        return (char)('0' + (sum % 11 < 2 ? 0 : 11 - sum % 11));
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode} instead of {expected}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<long> CreateSupplierAsync(HttpClient http, string? name = null, int? leadTimeDays = 7)
    {
        using var response = await http.PostAsJsonAsync($"{Base}/suppliers",
            new { name = name ?? "Fornecedor " + Guid.NewGuid().ToString("N")[..8], cnpj = NewCnpj(), paymentTerms = "28 dias", leadTimeDays });
        return (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
    }

    public static async Task<long> CreateSupplierProductAsync(
        HttpClient http, long supplierId, long productId, long? variantId = null, decimal price = 10m, int minimum = 1, bool preferred = true)
    {
        using var response = await http.PostAsJsonAsync($"{Base}/supplier-products",
            new { supplierId, productId, variantId, supplierSku = "F-" + productId, supplierPrice = price, minimumOrderQuantity = minimum, isPreferred = preferred });
        return (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> CreateOrderAsync(HttpClient http, long supplierId, params object[] lines)
    {
        using var response = await http.PostAsJsonAsync($"{Base}/purchase-orders", new { supplierId, notes = "Pedido de teste", lines });
        return await response.JsonAsync(HttpStatusCode.Created);
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, long id) => await http.PostAsync($"{Base}/purchase-orders/{id}/send", null);

    public static Task<HttpResponseMessage> ReceiveAsync(HttpClient http, long id, string key, object[] lines, bool allowOverReceipt = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/purchase-orders/{id}/receipts")
        {
            Content = JsonContent.Create(new { lines, allowOverReceipt, notes = "NF-e 1234" }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return http.SendAsync(request);
    }

    public static string NewKey() => "rcv-" + Guid.NewGuid().ToString("N");
}
