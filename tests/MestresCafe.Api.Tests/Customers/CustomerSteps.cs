using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Purchasing;
using MestresCafe.TaxIds;

namespace MestresCafe.Api.Tests.Customers;

/// <summary>Customer and address-book steps over HTTP, shared by the customer tests.</summary>
internal static class CustomerSteps
{
    /// <summary>A valid CPF of its own (check digits by <see cref="Cpf.CheckDigit"/>).</summary>
    public static string NewCpf()
    {
        var digits = new string(Random.Shared.GetItems("0123456789".ToCharArray(), 9));
        var withFirst = digits + Cpf.CheckDigit(digits);
        return withFirst + Cpf.CheckDigit(withFirst);
    }

    public static string NewCnpj() => PurchasingSteps.NewCnpj();

    public static object Address(string recipient = "Ana Souza", string street = "Avenida Paulista", bool? defaultBilling = null, bool? defaultShipping = null) => new
    {
        label = "Casa", recipientName = recipient, street, number = "1000", district = "Bela Vista", city = "São Paulo", state = "sp",
        postalCode = "01310-100", isDefaultBilling = defaultBilling, isDefaultShipping = defaultShipping,
    };

    public static async Task<JsonElement> AddAddressAsync(HttpClient http, object address)
    {
        using var response = await http.PostAsJsonAsync("/api/me/addresses", address);
        return await response.JsonAsync(HttpStatusCode.Created);
    }

    /// <summary>The customer's company profile, made a company with a new CNPJ.</summary>
    public static async Task<JsonElement> BecomeCompanyAsync(HttpClient http, string companyName = "Cafeteria do Teste Ltda")
    {
        using var response = await http.PutAsJsonAsync("/api/me/customer", new { customerType = "business", taxId = NewCnpj(), companyName, stateRegistration = "isento" });
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    public static async Task<IEnumerable<string>> ErrorKeysAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.BadRequest) =>
        (await response.JsonAsync(expected)).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal);
}
