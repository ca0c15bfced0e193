using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Purchasing;

namespace MestresCafe.Api.Tests.Inventory;

/// <summary>What the transfer tests do through the API.</summary>
internal static class TransferSteps
{
    public const string Transfers = "/api/admin/inventory/transfers";

    public static string NewKey() => "trf-" + Guid.NewGuid().ToString("N");

    public static async Task<HttpResponseMessage> TransferAsync(HttpClient http, string? key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Transfers) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await http.SendAsync(request);
    }

    public static async Task<string> CreateLocationAsync(HttpClient http)
    {
        var code = LocationAdminTests.NewCode();
        using var created = await http.PostAsJsonAsync("/api/admin/inventory/locations", new { code, name = "Depósito " + code, kind = "warehouse" });
        await created.JsonAsync(HttpStatusCode.Created);
        return code;
    }

    public static async Task<int> AvailableAtAsync(HttpClient http, string sku, string location) =>
        (await http.GetFromJsonAsync<JsonElement>($"/api/inventory/{sku}/availability?location={location}")).GetProperty("available").GetInt32();
}
