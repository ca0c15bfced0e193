using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Api.Tests.Purchasing;
using static MestresCafe.Api.Tests.Customers.CustomerSteps;

namespace MestresCafe.Api.Tests.Customers;

/// <summary>The buyer's customer record and the back office's customers: validated, unique tax ids, audited.</summary>
public sealed class CustomerApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_user_without_a_record_gets_one_on_first_read_and_the_same_one_after()
    {
        using var buyer = await host.CreateSignedInClientAsync("manager"); // no customer row is made for staff
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from customers where user_id = $1", buyer.UserId));

        var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => buyer.Http.GetFromJsonAsync<JsonElement>("/api/me/customer")));

        Assert.Single(reads.Select(r => r.GetProperty("id").GetInt64()).Distinct());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from customers where user_id = $1", buyer.UserId));
        Assert.Matches("^CLI-[0-9]{8}$", reads[0].GetProperty("customerNumber").GetString());
        Assert.Equal("individual", reads[0].GetProperty("customerType").GetString());
    }

    [Fact]
    public async Task A_buyer_becomes_a_company_with_a_valid_cnpj_which_no_other_customer_may_take()
    {
        using var buyer = await host.CreateSignedInClientAsync();
        using var other = await host.CreateSignedInClientAsync();
        var cnpj = NewCnpj();
        var formatted = $"{cnpj[..2]}.{cnpj[2..5]}.{cnpj[5..8]}/{cnpj[8..12]}-{cnpj[12..]}";

        using var saved = await buyer.Http.PutAsJsonAsync("/api/me/customer",
            new { customerType = "business", taxId = formatted, companyName = " Cafeteria Central Ltda ", stateRegistration = "110.042.490.114" });
        var record = await saved.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("business", cnpj, "Cafeteria Central Ltda", "110042490114"),
            (record.GetProperty("customerType").GetString(), record.GetProperty("taxId").GetString(), record.GetProperty("companyName").GetString(),
             record.GetProperty("stateRegistration").GetString()));
        Assert.False(record.TryGetProperty("notes", out _));

        using var taken = await other.Http.PutAsJsonAsync("/api/me/customer", new { customerType = "business", taxId = cnpj, companyName = "Outra Ltda" });
        Assert.Equal("The CPF/CNPJ is already in use by another customer.", (await taken.JsonAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());

        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'crm.customer.update_own' and table_name = 'customers' and record_id = $1 and user_id = $2",
            buyer.CustomerId!.Value, buyer.UserId));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from customers where id = $1 and tax_id is null", other.CustomerId!.Value));
    }

    [Fact]
    public async Task Bad_profiles_are_refused_by_field_and_nothing_is_written()
    {
        using var buyer = await host.CreateSignedInClientAsync();

        using var badCpf = await buyer.Http.PutAsJsonAsync("/api/me/customer", new { customerType = "individual", taxId = "529.982.247-24" });
        using var companyWithoutName = await buyer.Http.PutAsJsonAsync("/api/me/customer", new { customerType = "business", taxId = NewCnpj() });
        using var personWithCompany = await buyer.Http.PutAsJsonAsync("/api/me/customer", new { customerType = "individual", companyName = "Café Ltda" });
        using var badType = await buyer.Http.PutAsJsonAsync("/api/me/customer", new { customerType = "robot" });

        Assert.Equal(["taxId"], await ErrorKeysAsync(badCpf));
        Assert.Equal(["companyName"], await ErrorKeysAsync(companyWithoutName));
        Assert.Equal(["companyName"], await ErrorKeysAsync(personWithCompany));
        Assert.Equal(["customerType"], await ErrorKeysAsync(badType));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where table_name = 'customers' and user_id = $1", buyer.UserId));

        var cpf = NewCpf();
        using var person = await buyer.Http.PutAsJsonAsync("/api/me/customer", new { customerType = "individual", taxId = $"{cpf[..3]}.{cpf[3..6]}.{cpf[6..9]}-{cpf[9..]}" });
        Assert.Equal(cpf, (await person.JsonAsync(HttpStatusCode.OK)).GetProperty("taxId").GetString());
    }

    [Fact]
    public async Task Staff_find_a_customer_by_tax_id_change_notes_and_deactivate_it_audited_and_customers_cannot()
    {
        using var buyer = await host.CreateSignedInClientAsync();
        using var support = await host.CreateSignedInClientAsync("support");
        var company = await BecomeCompanyAsync(buyer.Http, "Padaria Busca " + Guid.NewGuid().ToString("N")[..6]);
        var cnpj = company.GetProperty("taxId").GetString()!;

        var found = await support.Http.GetFromJsonAsync<JsonElement>($"/api/admin/customers?search={Uri.EscapeDataString(cnpj[..2] + "." + cnpj[2..])}");
        var row = Assert.Single(found.EnumerateArray());
        Assert.Equal((buyer.CustomerId, buyer.Email), (row.GetProperty("id").GetInt64(), row.GetProperty("email").GetString()));
        var byCompany = await support.Http.GetFromJsonAsync<JsonElement>(
            $"/api/admin/customers?type=business&search={Uri.EscapeDataString(company.GetProperty("companyName").GetString()![7..].ToUpperInvariant())}");
        Assert.Equal(buyer.CustomerId, Assert.Single(byCompany.EnumerateArray()).GetProperty("id").GetInt64());

        using var changed = await support.Http.PutAsJsonAsync($"/api/admin/customers/{buyer.CustomerId}", new
        {
            customerType = "business", taxId = cnpj, companyName = company.GetProperty("companyName").GetString(), notes = "Compra às segundas.", isActive = false,
        });
        var after = await changed.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Compra às segundas.", false), (after.GetProperty("notes").GetString(), after.GetProperty("isActive").GetBoolean()));
        Assert.Equal("Compra às segundas.", (await support.Http.GetFromJsonAsync<JsonElement>($"/api/admin/customers/{buyer.CustomerId}")).GetProperty("notes").GetString());
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'crm.customer.update' and record_id = $1 and user_id = $2 and old_values->>'is_active' = 'true' and new_values->>'is_active' = 'false'",
            buyer.CustomerId!.Value, support.UserId));

        using var missing = await support.Http.PutAsJsonAsync("/api/admin/customers/999999999", new { customerType = "individual", isActive = true });
        using var byCustomer = await buyer.Http.GetAsync($"/api/admin/customers/{buyer.CustomerId}");
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (missing.StatusCode, byCustomer.StatusCode));
    }
}
