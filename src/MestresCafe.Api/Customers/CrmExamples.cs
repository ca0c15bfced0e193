using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Customers;

/// <summary>
/// Examples of the CRM endpoints' bodies in the OpenAPI document, as each endpoint's own metadata
/// (an operation transformer on the endpoint), written in the API's JSON spelling.
/// </summary>
internal static class CrmExamples
{
    /// <summary>A JSON example of the request body and, when given, of the answer with <paramref name="status"/>.</summary>
    public static TBuilder WithJsonExamples<TBuilder>(this TBuilder builder, object? request, object? response = null, int status = StatusCodes.Status200OK)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (request is not null && operation.RequestBody?.Content is { } requestContent)
            {
                foreach (var media in requestContent.Where(c => c.Key.Contains("json", StringComparison.Ordinal)))
                {
                    media.Value.Example = JsonSerializer.SerializeToNode(request, JsonSerializerOptions.Web);
                }
            }

            if (response is not null && operation.Responses?.TryGetValue(status.ToString(CultureInfo.InvariantCulture), out var answer) == true
                && answer.Content is { } responseContent)
            {
                foreach (var media in responseContent.Where(c => c.Key.Contains("json", StringComparison.Ordinal)))
                {
                    media.Value.Example = JsonSerializer.SerializeToNode(response, JsonSerializerOptions.Web);
                }
            }

            return Task.CompletedTask;
        });

    public static readonly object CreditTerms = new { creditLimit = 5000.00m, paymentTerms = "net_28" };

    public static readonly object Credit = new
    {
        customerId = 42, approved = true, paymentTerms = "net_28", termDays = 28, creditLimit = 5000.00m, exposure = 1250.00m, available = 3750.00m,
        openInvoices = new[] { new { orderNumber = "MC-20261202-7F3A9C", amount = 1250.00m, reservedAt = "2026-12-02T13:05:00Z", dueAt = "2026-12-30T13:05:00Z" } },
    };

    public static readonly object[] Invoices =
    [
        new
        {
            orderNumber = "MC-20261104-1B2C3D", userId = 1042, customerId = 42, customerNumber = "CLI-00000042", companyName = "Cafeteria Grão Nobre Ltda",
            amount = 980.40m, status = "delivered", createdAt = "2026-11-04T12:00:00Z", dueAt = "2026-12-02T12:00:00Z", daysOverdue = 3,
        },
    ];

    public static readonly object CustomerProfile = new { customerType = "business", taxId = "48.392.157/0001-36", companyName = "Cafeteria Grão Nobre Ltda", stateRegistration = "110042490114" };

    public static readonly object Address = new
    {
        label = "Loja", recipientName = "Cafeteria Grão Nobre", street = "Rua Oscar Freire", number = "512", complement = (string?)null, district = "Jardins",
        city = "São Paulo", state = "SP", postalCode = "01426-000", phone = "+551130810000", isDefaultBilling = false, isDefaultShipping = true,
    };

    public static readonly object Group = new
    {
        name = "Cafeterias parceiras", description = "Cafeterias que revendem e servem nossos cafés.", discountPercentage = 10.00m,
        conditions = new { minimumOrderAmount = 300.00m, paymentMethods = new[] { "pix", "boleto", "invoice" }, note = "Pedido mínimo de R$ 300" },
    };

    public static readonly object Membership = new { expiresAt = "2027-12-31T23:59:59Z" };

    public static readonly object Segment = new
    {
        name = "Grandes compradores em SP", description = "Mais de R$ 1.000 em compras pagas nos últimos 12 meses, endereço em SP.",
        criteria = new { spent = new { min = 1000, days = 365 }, states = new[] { "SP" } }, isActive = true,
    };

    public static readonly object Lead = new
    {
        firstName = "Renata", lastName = "Almeida", email = "compras@cafeteriagraoeprosa.com.br", phone = "+5511987650001",
        company = "Cafeteria Grão & Prosa", source = "website", estimatedValue = 18000.00m, notes = "Blend da casa em 1 kg, cerca de 40 kg por mês.", assignedTo = (long?)null,
    };

    public static readonly object LeadActivity = new { type = "task", subject = "Enviar proposta com preço de atacado", description = (string?)null, scheduledAt = "2026-12-05T15:00:00Z" };

    public static readonly object LeadConversion = new { taxId = "48.392.157/0001-36", createUser = true, groupId = 3 };

    public static readonly object WholesaleInquiry = new
    {
        name = "Marcos Teixeira", company = "Coworking Vila Olímpia", email = "marcos@escritoriovilaolimpia.com.br", phone = "+5511987650002",
        message = "Queremos café em grãos para 80 pessoas e uma máquina em comodato.", website = "",
    };
}
