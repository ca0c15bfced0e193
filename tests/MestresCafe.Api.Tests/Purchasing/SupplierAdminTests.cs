using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Checkout;
using MestresCafe.Api.Tests.Infrastructure;
using static MestresCafe.Api.Tests.Purchasing.PurchasingSteps;

namespace MestresCafe.Api.Tests.Purchasing;

/// <summary>Suppliers and what they sell: validated, audited, one preferred supplier per item.</summary>
public sealed class SupplierAdminTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_supplier_is_created_with_its_cnpj_contacts_and_terms_changed_and_deactivated_each_change_audited()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var name = "Torrefação " + Guid.NewGuid().ToString("N")[..8];
        using var created = await manager.Http.PostAsJsonAsync($"{Base}/suppliers", new
        {
            name, cnpj = "12.ABC.345/01DE-35", email = " Compras@Fornecedor.example.com.br ", phone = "+55 11 3333-4444",
            contacts = new[] { new { name = "Joana Prado", role = "Comercial", email = "joana@fornecedor.example.com.br", phone = "+5511999990000" } },
            paymentTerms = "30/60 dias", leadTimeDays = 12, address = new { cidade = "Campinas", uf = "SP" },
        });
        var supplier = await created.JsonAsync(HttpStatusCode.Created);
        var id = supplier.GetProperty("id").GetInt64();
        Assert.Equal(("12ABC34501DE35", "compras@fornecedor.example.com.br", "30/60 dias", 12, true),
            (supplier.GetProperty("cnpj").GetString(), supplier.GetProperty("email").GetString(), supplier.GetProperty("paymentTerms").GetString(),
             supplier.GetProperty("leadTimeDays").GetInt32(), supplier.GetProperty("isActive").GetBoolean()));
        Assert.Equal("Joana Prado", supplier.GetProperty("contacts")[0].GetProperty("name").GetString());

        using var changed = await manager.Http.PatchAsJsonAsync($"{Base}/suppliers/{id}", new { leadTimeDays = 20, contacts = Array.Empty<object>() });
        var after = await changed.JsonAsync(HttpStatusCode.OK);
        Assert.Equal((20, 0, "30/60 dias"), (after.GetProperty("leadTimeDays").GetInt32(), after.GetProperty("contacts").GetArrayLength(), after.GetProperty("paymentTerms").GetString()));

        using var deactivated = await manager.Http.DeleteAsync($"{Base}/suppliers/{id}");
        Assert.False((await deactivated.JsonAsync(HttpStatusCode.OK)).GetProperty("isActive").GetBoolean());
        var listed = await manager.Http.GetFromJsonAsync<JsonElement>($"{Base}/suppliers?active=false&search={Uri.EscapeDataString(name)}");
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetInt64());

        Assert.Equal("purchasing.supplier.create,purchasing.supplier.update,purchasing.supplier.deactivate", await host.Database.ScalarAsync<string>(
            "select string_agg(action, ',' order by id) from audit_logs where table_name = 'suppliers' and record_id = $1 and user_id = $2", id, manager.UserId));
    }

    [Fact]
    public async Task Bad_supplier_input_is_refused_with_the_field_and_nothing_is_written()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var before = await host.Database.ScalarAsync<long>("select count(*) from suppliers");

        using var badCnpj = await manager.Http.PostAsJsonAsync($"{Base}/suppliers", new { name = "CNPJ errado", cnpj = "11.222.333/0001-82" });
        using var badContact = await manager.Http.PostAsJsonAsync($"{Base}/suppliers", new { name = "Contato errado", contacts = new[] { new { name = "X", email = "não é e-mail" } } });
        using var badLeadTime = await manager.Http.PostAsJsonAsync($"{Base}/suppliers", new { name = "Prazo errado", leadTimeDays = 400 });
        using var noName = await manager.Http.PostAsJsonAsync($"{Base}/suppliers", new { cnpj = NewCnpj() });

        Assert.Equal(["cnpj"], await ErrorKeysAsync(badCnpj));
        Assert.Equal(["contacts[0].email"], await ErrorKeysAsync(badContact));
        Assert.Equal(["leadTimeDays"], await ErrorKeysAsync(badLeadTime));
        Assert.Equal(["name"], await ErrorKeysAsync(noName));
        Assert.Equal(before, await host.Database.ScalarAsync<long>("select count(*) from suppliers"));

        var cnpj = NewCnpj();
        using var first = await manager.Http.PostAsJsonAsync($"{Base}/suppliers", new { name = "Primeiro " + cnpj, cnpj });
        using var again = await manager.Http.PostAsJsonAsync($"{Base}/suppliers", new { name = "Segundo " + cnpj, cnpj = FormatCnpj(cnpj) });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("The CNPJ is already in use.", (await again.JsonAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Marking_a_supplier_preferred_for_an_item_unmarks_the_items_other_supplier()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var sku = await host.NewItemAsync(stock: 0);
        var productId = await host.Database.ScalarAsync<long>("select id from products where sku = $1", sku);
        var first = await CreateSupplierAsync(manager.Http);
        var second = await CreateSupplierAsync(manager.Http);

        var firstOffer = await CreateSupplierProductAsync(manager.Http, first, productId, price: 12m);
        var secondOffer = await CreateSupplierProductAsync(manager.Http, second, productId, price: 11m, minimum: 6);
        using var duplicate = await manager.Http.PostAsJsonAsync($"{Base}/supplier-products", new { supplierId = first, productId, supplierPrice = 1m });
        using var unknownProduct = await manager.Http.PostAsJsonAsync($"{Base}/supplier-products", new { supplierId = first, productId = long.MaxValue });

        var offers = await manager.Http.GetFromJsonAsync<JsonElement>($"{Base}/supplier-products?productId={productId}");
        Assert.Equal([(firstOffer, false), (secondOffer, true)], offers.EnumerateArray()
            .Select(o => (o.GetProperty("id").GetInt64(), o.GetProperty("isPreferred").GetBoolean())).OrderBy(o => o.Item1));
        Assert.All(offers.EnumerateArray(), o => Assert.Equal(sku, o.GetProperty("sku").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(["productId"], await ErrorKeysAsync(unknownProduct, HttpStatusCode.UnprocessableEntity));

        using var back = await manager.Http.PatchAsJsonAsync($"{Base}/supplier-products/{firstOffer}", new { isPreferred = true });
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(firstOffer, await host.Database.ScalarAsync<long>("select id from supplier_products where product_id = $1 and is_preferred", productId));
    }

    [Fact]
    public async Task Support_staff_can_not_change_suppliers()
    {
        using var support = await host.CreateSignedInClientAsync("support");

        using var create = await support.Http.PostAsJsonAsync($"{Base}/suppliers", new { name = "Sem permissão" });
        using var list = await support.Http.GetAsync($"{Base}/suppliers");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (create.StatusCode, list.StatusCode));
    }

    private static string FormatCnpj(string digits) => $"{digits[..2]}.{digits[2..5]}.{digits[5..8]}/{digits[8..12]}-{digits[12..]}";

    private static async Task<IEnumerable<string>> ErrorKeysAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.BadRequest) =>
        (await response.JsonAsync(expected)).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
}
