using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Purchasing;
using MestresCafe.Cart;
using MestresCafe.Customers;
using MestresCafe.Orders;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using static MestresCafe.Api.Tests.Customers.CustomerSteps;

namespace MestresCafe.Api.Tests.Customers;

/// <summary>
/// B2B terms: an approved company buys on invoice ("faturado") within its credit limit, staff see
/// the receivables and record payments, refusals are problem details, and concurrent invoiced
/// checkouts never exceed the limit together.
/// </summary>
public sealed class B2bTermsTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task An_approved_company_buys_on_invoice_and_staff_see_it_due_then_record_its_payment()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var buyer = await host.CreateSignedInClientAsync();
        await BecomeCompanyAsync(buyer.Http, "Cafeteria Faturada Ltda");
        var terms = await SetTermsAsync(manager, buyer.CustomerId!.Value, 1000m, "net_28");
        Assert.Equal((true, 28, 1000m), (terms.GetProperty("approved").GetBoolean(), terms.GetProperty("termDays").GetInt32(), terms.GetProperty("available").GetDecimal()));

        var before = DateTimeOffset.UtcNow;
        using var placed = await CheckoutOnInvoiceAsync(buyer.Http, 250m);
        var order = await placed.JsonAsync(HttpStatusCode.Created);
        var number = order.GetProperty("orderNumber").GetString()!;
        var total = order.GetProperty("totals").GetProperty("total").GetDecimal();
        Assert.Equal(("processing", "invoice", "pending"), (order.GetProperty("status").GetString(),
            order.GetProperty("payment").GetProperty("method").GetString(), order.GetProperty("payment").GetProperty("status").GetString()));
        var dueAt = order.GetProperty("paymentDueAt").GetDateTimeOffset();
        Assert.InRange(dueAt, before.AddDays(28), DateTimeOffset.UtcNow.AddDays(28));

        var mine = await buyer.Http.GetFromJsonAsync<JsonElement>("/api/me/credit");
        Assert.Equal((total, 1000m - total), (mine.GetProperty("exposure").GetDecimal(), mine.GetProperty("available").GetDecimal()));
        Assert.Equal(number, Assert.Single(mine.GetProperty("openInvoices").EnumerateArray()).GetProperty("orderNumber").GetString());

        // The receivables: open now, overdue by one day the day after it falls due, never before.
        Assert.True(await Eventually.TrueAsync(async () => (await InvoicesAsync(manager, buyer.CustomerId.Value, "")).Count == 1));
        Assert.Empty(await InvoicesAsync(manager, buyer.CustomerId.Value, "&overdue=true"));
        var overdue = Assert.Single(await InvoicesAsync(manager, buyer.CustomerId.Value, $"&overdue=true&asOf={Uri.EscapeDataString(dueAt.AddDays(1).ToString("O"))}"));
        Assert.Equal((number, total, 1, "Cafeteria Faturada Ltda"), (overdue.GetProperty("orderNumber").GetString(), overdue.GetProperty("amount").GetDecimal(),
            overdue.GetProperty("daysOverdue").GetInt32(), overdue.GetProperty("companyName").GetString()));
        Assert.True(await Eventually.TrueAsync(async () =>
            await host.Database.ScalarAsync<decimal>("select current_balance from customers where id = $1", buyer.CustomerId.Value) == total));

        using var paid = await manager.Http.PostAsync($"/api/admin/orders/{number}/invoice-payment", null);
        var paidOrder = await paid.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("captured", "processing"), (paidOrder.GetProperty("payment").GetProperty("status").GetString(), paidOrder.GetProperty("status").GetString()));
        using var again = await manager.Http.PostAsync($"/api/admin/orders/{number}/invoice-payment", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var credit = await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/customers/{buyer.CustomerId}/credit");
        Assert.Equal((0m, 1000m, 0), (credit.GetProperty("exposure").GetDecimal(), credit.GetProperty("available").GetDecimal(), credit.GetProperty("openInvoices").GetArrayLength()));
        Assert.True(await Eventually.TrueAsync(async () => (await InvoicesAsync(manager, buyer.CustomerId.Value, "")).Count == 0
            && await host.Database.ScalarAsync<decimal>("select current_balance from customers where id = $1", buyer.CustomerId.Value) == 0m
            && await host.Database.ScalarAsync<long>(
                "select count(*) from orders o join payments p on p.order_id = o.id where o.order_number = $1 and o.paid_at is not null and p.status = 'captured'", number) == 1));
        Assert.Equal("crm.customer.credit_terms,order.invoice_paid,order.invoice_paid", await host.Database.ScalarAsync<string>(
            "select string_agg(action, ',' order by id) from audit_logs where user_id = $1", manager.UserId));

        // The demo's partner café is approved as the seed says.
        var demo = await manager.Http.GetFromJsonAsync<JsonElement>(
            $"/api/admin/customers/{await host.Database.ScalarAsync<long>("select id from customers where tax_id = '48392157000136'")}/credit");
        Assert.Equal((true, 28, 5000m), (demo.GetProperty("approved").GetBoolean(), demo.GetProperty("termDays").GetInt32(), demo.GetProperty("creditLimit").GetDecimal()));
    }

    [Fact]
    public async Task Invoiced_checkouts_are_refused_with_problem_details_when_not_approved_or_past_the_limit_and_a_cancellation_frees_the_credit()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var support = await host.CreateSignedInClientAsync("support");
        using var person = await host.CreateSignedInClientAsync();
        using var company = await host.CreateSignedInClientAsync();
        await BecomeCompanyAsync(company.Http, "Escritório a Prazo Ltda");

        using var notApproved = await CheckoutOnInvoiceAsync(company.Http, 50m);
        var problem = await notApproved.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(("CreditRefused", "NotApproved"), (problem.GetProperty("outcome").GetString(), problem.GetProperty("reason").GetString()));

        using var bySupport = await support.Http.PutAsJsonAsync($"/api/admin/customers/{company.CustomerId}/credit-terms", new { creditLimit = 300, paymentTerms = "net_28" });
        using var badTerms = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{company.CustomerId}/credit-terms", new { creditLimit = 300.001, paymentTerms = "net_200" });
        using var forPerson = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{person.CustomerId}/credit-terms", new { creditLimit = 300, paymentTerms = "net_28" });
        using var unknown = await manager.Http.PutAsJsonAsync("/api/admin/customers/999999999/credit-terms", new { creditLimit = 300, paymentTerms = "net_28" });
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.NotFound), (bySupport.StatusCode, unknown.StatusCode));
        Assert.Equal(["creditLimit", "paymentTerms"], await ErrorKeysAsync(badTerms));
        Assert.Equal(["paymentTerms"], await ErrorKeysAsync(forPerson, HttpStatusCode.UnprocessableEntity));

        await SetTermsAsync(manager, company.CustomerId!.Value, 300m, "net_30");
        using var first = await CheckoutOnInvoiceAsync(company.Http, 200m);
        var firstOrder = await first.JsonAsync(HttpStatusCode.Created);
        using var second = await CheckoutOnInvoiceAsync(company.Http, 200m);
        var overLimit = await second.JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(("Credit limit exceeded", "LimitExceeded"), (overLimit.GetProperty("title").GetString(), overLimit.GetProperty("reason").GetString()));

        using var cancelled = await manager.Http.PostAsJsonAsync($"/api/admin/orders/{firstOrder.GetProperty("orderNumber").GetString()}/cancel", new { reason = "cliente desistiu" });
        Assert.Equal("cancelled", (await cancelled.JsonAsync(HttpStatusCode.OK)).GetProperty("payment").GetProperty("status").GetString());
        // The refused checkout left its line in the cart: the same cart now fits.
        using var third = await PostInvoiceCheckoutAsync(company.Http);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
    }

    [Fact]
    public async Task Concurrent_invoiced_checkouts_of_one_account_never_exceed_its_credit_limit_together()
    {
        const int Checkouts = 24;
        const decimal Limit = 1000m;
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var company = await host.CreateSignedInClientAsync();
        await BecomeCompanyAsync(company.Http, "Rede de Cafeterias Concorrente Ltda");
        await SetTermsAsync(manager, company.CustomerId!.Value, Limit, "net_28");
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        // One cart and one item per checkout, so that only the credit can refuse them (one buyer's
        // cart is one grain, and unpaid holds per item are capped per customer).
        var carts = new List<string>();
        for (var i = 0; i < Checkouts; i++)
        {
            var sku = "B2B-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
            await host.Database.InsertItemAsync(sku, 5, 100m);
            var cart = CartKey.ForVisitor(Guid.NewGuid().ToString("N"));
            Assert.Equal(CartUpdateOutcome.Updated, (await grains.GetGrain<ICartGrain>(cart).AddAsync(sku, 1)).Outcome);
            carts.Add(cart);
        }

        var results = await Task.WhenAll(carts.Select(cart =>
        {
            var key = "b2b-" + Guid.NewGuid().ToString("N");
            var command = new CheckoutCommand(company.UserId, key, "hash-" + key, null, PaymentMethodKind.Invoice, null,
                new Address("Compras", "Rua Augusta", "100", null, "Consolação", "São Paulo", "SP", "01305000", null), null, ShippingMethods.Pac, cart);
            return grains.GetGrain<IOrderGrain>(OrderNumbers.For(company.UserId, key)).CheckoutAsync(command);
        }));

        var accepted = results.Where(r => r.Outcome == CheckoutOutcome.Created).Select(r => r.Order!).ToList();
        var refused = results.Where(r => r.Outcome != CheckoutOutcome.Created).ToList();
        var total = accepted[0].Totals.Total;
        Assert.All(accepted, o => Assert.Equal((total, OrderStatus.Processing), (o.Totals.Total, o.Status)));
        Assert.True(accepted.Sum(o => o.Totals.Total) <= Limit);
        // Every order costs the same, so serialized decisions accept exactly as many as fit.
        Assert.Equal((int)(Limit / total), accepted.Count);
        Assert.All(refused, r => Assert.Equal((CheckoutOutcome.CreditRefused, CreditRefusal.LimitExceeded), (r.Outcome, r.CreditRefusal)));

        var credit = await grains.GetGrain<ICreditAccountGrain>(company.UserId).GetAsync();
        Assert.Equal(accepted.Sum(o => o.Totals.Total), credit.Exposure);
        Assert.Equal(accepted.Select(o => o.OrderNumber).Order(), credit.OpenInvoices.Select(i => i.OrderNumber).Order());
        Assert.True(await Eventually.TrueAsync(async () =>
            await host.Database.ScalarAsync<decimal>("select current_balance from customers where id = $1", company.CustomerId.Value) == credit.Exposure));

        // The refused ones answer a client's retry through the API with the same 409.
        using var retry = await CheckoutOnInvoiceAsync(company.Http, 100m);
        Assert.Equal("LimitExceeded", (await retry.JsonAsync(HttpStatusCode.Conflict)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_groups_minimum_order_and_allowed_payment_methods_are_enforced_at_checkout_with_problem_details()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        using var member = await host.CreateSignedInClientAsync();
        using var malformed = await manager.Http.PostAsJsonAsync("/api/admin/customer-groups",
            new { name = "Mal formado " + Guid.NewGuid().ToString("N")[..6], conditions = new { minimumOrderAmount = -1, paymentMethods = new[] { "cheque" } } });
        Assert.Equal(["conditions"], await ErrorKeysAsync(malformed));
        using var created = await manager.Http.PostAsJsonAsync("/api/admin/customer-groups", new
        {
            name = "Atacado " + Guid.NewGuid().ToString("N")[..6],
            conditions = new { minimumOrderAmount = 100, paymentMethods = new[] { "pix", "invoice" }, note = "pedido mínimo R$ 100" },
        });
        var groupId = (await created.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        using var joined = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{member.CustomerId}/groups/{groupId}", new { });
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);

        using var small = await CheckoutOnInvoiceAsync(member.Http, 60m);
        var belowMinimum = await small.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(("GroupConditionsRefused", "BelowMinimumOrder"), (belowMinimum.GetProperty("outcome").GetString(), belowMinimum.GetProperty("reason").GetString()));
        Assert.Contains("R$ 100.00", belowMinimum.GetProperty("detail").GetString());

        using var added = await AddItemAsync(member.Http, 50m);
        using var byCard = await PostInvoiceCheckoutAsync(member.Http, "credit_card");
        Assert.Equal("PaymentMethodNotAllowed", (await byCard.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("reason").GetString());
        using var byPix = await PostInvoiceCheckoutAsync(member.Http, "pix");
        Assert.Equal(110m, (await byPix.JsonAsync(HttpStatusCode.Created)).GetProperty("totals").GetProperty("subtotal").GetDecimal());
    }

    [Fact]
    public async Task The_openapi_document_shows_example_bodies_of_the_crm_writes_and_answers_of_the_credit_reads()
    {
        (string Path, string Method, string Field, string Value)[] writes =
        [
            ("/api/admin/customers/{id}/credit-terms", "put", "paymentTerms", "net_28"),
            ("/api/me/customer", "put", "customerType", "business"),
            ("/api/me/addresses", "post", "postalCode", "01426-000"),
            ("/api/admin/customers/{id}/groups/{groupId}", "put", "expiresAt", "2027-12-31T23:59:59Z"),
            ("/api/admin/segments", "post", "name", "Grandes compradores em SP"),
            ("/api/admin/leads", "post", "source", "website"),
            ("/api/admin/leads/{id}/activities", "post", "type", "task"),
            ("/api/admin/leads/{id}/convert", "post", "taxId", "48.392.157/0001-36"),
            ("/api/wholesale-inquiries", "post", "company", "Coworking Vila Olímpia"),
        ];
        var paths = (await OpenApiAsync()).GetProperty("paths");

        Assert.All(writes, write => Assert.Equal(write.Value, paths.GetProperty(write.Path).GetProperty(write.Method).GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty(write.Field).GetString()));

        JsonElement Example(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");

        Assert.Equal(3750.00m, Example("/api/admin/customers/{id}/credit", "get").GetProperty("available").GetDecimal());
        Assert.Equal(3750.00m, Example("/api/me/credit", "get").GetProperty("available").GetDecimal());
        Assert.Equal(3, Example("/api/admin/invoices", "get")[0].GetProperty("daysOverdue").GetInt32());
    }

    private async Task<JsonElement> OpenApiAsync()
    {
        using var http = host.CreateClient();
        return JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json")).RootElement;
    }

    private static async Task<JsonElement> SetTermsAsync(SignedInClient manager, long customerId, decimal creditLimit, string paymentTerms)
    {
        using var response = await manager.Http.PutAsJsonAsync($"/api/admin/customers/{customerId}/credit-terms", new { creditLimit, paymentTerms });
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    private static async Task<List<JsonElement>> InvoicesAsync(SignedInClient manager, long customerId, string query) =>
        (await manager.Http.GetFromJsonAsync<JsonElement>($"/api/admin/invoices?customerId={customerId}{query}")).EnumerateArray().ToList();

    private async Task<HttpResponseMessage> AddItemAsync(HttpClient buyer, decimal price) => await CheckoutOnInvoiceAsync(buyer, price, checkout: false);

    private async Task<HttpResponseMessage> CheckoutOnInvoiceAsync(HttpClient buyer, decimal price, bool checkout = true)
    {
        var sku = "FAT-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await host.Database.InsertItemAsync(sku, 5, price);
        using var added = await buyer.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        return checkout ? await PostInvoiceCheckoutAsync(buyer) : new HttpResponseMessage(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> PostInvoiceCheckoutAsync(HttpClient buyer, string paymentMethod = "invoice")
    {
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = new { recipientName = "Compras", street = "Rua Augusta", number = "100", district = "Consolação", city = "São Paulo", state = "SP", postalCode = "01305-000" },
                paymentMethod,
                cardToken = paymentMethod == "credit_card" ? "tok_visa" : null,
                shippingMethod = "pac",
            }),
        };
        checkout.Headers.Add("Idempotency-Key", "fat-" + Guid.NewGuid().ToString("N"));
        return await buyer.SendAsync(checkout);
    }
}
