using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Crm;

/// <summary>The CRM through the API: segments (validation, members, CSV), leads (the flow, activities, "my open activities", conversion) and the public form.</summary>
public sealed class CrmApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_segment_names_each_wrong_criterion_and_once_saved_lists_and_exports_its_members()
    {
        using var staff = await host.CreateSignedInClientAsync("manager");
        using var buyer = await host.CreateSignedInClientAsync("customer");
        var city = "Palmas " + Guid.NewGuid().ToString("N")[..8];
        await host.Database.ScalarAsync<int>(
            "update customers set shipping_address = jsonb_build_object('city', $1::text, 'state', 'TO') where id = $2 returning 1", city, buyer.CustomerId!.Value);

        using var wrong = await staff.Http.PostAsJsonAsync("/api/admin/segments",
            new { name = "Errado", criteria = new { spent = new { min = -5 }, states = new[] { "ZZ" }, groups = new[] { 999_999_999 } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var errors = (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray();
        Assert.Equal(new[] { "criteria.spent.min", "criteria.states[0]" }, errors);
        using var unknownGroup = await staff.Http.PostAsJsonAsync("/api/admin/segments", new { name = "Grupo", criteria = new { groups = new[] { 999_999_999 } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownGroup.StatusCode);
        Assert.True((await unknownGroup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("criteria.groups[0]", out _));

        using var created = await staff.Http.PostAsJsonAsync("/api/admin/segments",
            new { name = "Palmas " + Guid.NewGuid().ToString("N")[..6], criteria = new { states = new[] { "TO" }, cities = new[] { city } } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var segment = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, segment.GetProperty("memberCount").GetInt32());
        var id = segment.GetProperty("id").GetInt64();
        var members = await staff.Http.GetFromJsonAsync<JsonElement>($"/api/admin/segments/{id}/members");
        Assert.Equal(buyer.Email, members.GetProperty("items")[0].GetProperty("email").GetString());
        using var csv = await staff.Http.GetAsync($"/api/admin/segments/{id}/members.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains(buyer.Email, await csv.Content.ReadAsStringAsync());
        using var duplicate = await staff.Http.PostAsJsonAsync("/api/admin/segments", new { name = segment.GetProperty("name").GetString(), criteria = new { } });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.Http.GetAsync("/api/admin/segments")).StatusCode);
    }

    [Fact]
    public async Task A_won_lead_becomes_a_business_customer_with_account_and_group_in_one_step()
    {
        using var sales = await host.CreateSignedInClientAsync("manager");
        var email = $"compras.{Guid.NewGuid():N}@cafeteria.com.br";
        var group = await host.Database.ScalarAsync<long>("insert into customer_groups (name, discount_percentage) values ($1, 10) returning id", "Atacado " + Guid.NewGuid());
        using var created = await sales.Http.PostAsJsonAsync("/api/admin/leads",
            new { firstName = "Rita", lastName = "Prado", email, company = "Cafeteria Aurora", source = "event", estimatedValue = 12000, assignedTo = sales.UserId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        using var skipped = await sales.Http.PostAsJsonAsync($"/api/admin/leads/{id}/status", new { status = "won" });
        Assert.Equal(HttpStatusCode.Conflict, skipped.StatusCode);
        using var early = await sales.Http.PostAsJsonAsync($"/api/admin/leads/{id}/convert", new { createUser = true });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        foreach (var status in new[] { "contacted", "qualified", "proposal", "won" })
        {
            using var moved = await sales.Http.PostAsJsonAsync($"/api/admin/leads/{id}/status", new { status });
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        using var converted = await sales.Http.PostAsJsonAsync($"/api/admin/leads/{id}/convert",
            new { taxId = "11.222.333/0001-81", createUser = true, groupId = group });
        using var again = await sales.Http.PostAsJsonAsync($"/api/admin/leads/{id}/convert", new { createUser = true });

        Assert.Equal(HttpStatusCode.OK, converted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var customerId = (await converted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("customerId").GetInt64();
        Assert.Equal("business|Cafeteria Aurora|11222333000181", await host.Database.ScalarAsync<string>(
            "select c.customer_type || '|' || c.company_name || '|' || c.tax_id from customers c join users u on u.id = c.user_id where c.id = $1 and u.email = $2",
            customerId, email));
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from customer_group_members where customer_id = $1 and group_id = $2 and is_active", customerId, group));
        Assert.Equal(4, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'lead.status' and record_id = $1", id));
    }

    [Fact]
    public async Task A_conversion_that_fails_half_way_writes_nothing()
    {
        using var sales = await host.CreateSignedInClientAsync("manager");
        using var holder = await host.CreateSignedInClientAsync("customer");
        await host.Database.ScalarAsync<int>("update customers set tax_id = '45723174000110' where id = $1 returning 1", holder.CustomerId!.Value);
        var email = $"outra.{Guid.NewGuid():N}@empresa.com.br";
        var id = await host.Database.ScalarAsync<long>(
            "insert into leads (email, company, status) values ($1, 'Escritório Norte', 'won') returning id", email);

        // The account is created first; the CNPJ, another customer's, is refused after it.
        using var response = await sales.Http.PostAsJsonAsync($"/api/admin/leads/{id}/convert", new { taxId = "45.723.174/0001-10", createUser = true });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("taxId", out _));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from users where email = $1", email));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from leads where id = $1 and customer_id is not null", id));
    }

    [Fact]
    public async Task My_open_activities_list_what_is_due_on_my_leads_and_a_task_needs_a_due_date()
    {
        using var seller = await host.CreateSignedInClientAsync("manager");
        using var other = await host.CreateSignedInClientAsync("manager");
        var mine = await host.Database.ScalarAsync<long>("insert into leads (email, assigned_to) values ('a@lead.com.br', $1) returning id", seller.UserId);
        var theirs = await host.Database.ScalarAsync<long>("insert into leads (email, assigned_to) values ('b@lead.com.br', $1) returning id", other.UserId);

        using var undated = await seller.Http.PostAsJsonAsync($"/api/admin/leads/{mine}/activities", new { type = "task", subject = "Enviar proposta" });
        Assert.Equal(HttpStatusCode.BadRequest, undated.StatusCode);
        var due = DateTimeOffset.UtcNow.AddDays(2);
        using var task = await seller.Http.PostAsJsonAsync($"/api/admin/leads/{mine}/activities", new { type = "task", subject = "Enviar proposta", scheduledAt = due });
        using var call = await seller.Http.PostAsJsonAsync($"/api/admin/leads/{mine}/activities", new { type = "call", subject = "Primeiro contato" });
        using var elsewhere = await other.Http.PostAsJsonAsync($"/api/admin/leads/{theirs}/activities", new { type = "meeting", subject = "Degustação", scheduledAt = due });
        Assert.Equal(HttpStatusCode.Created, task.StatusCode);
        var callId = (await call.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var done = await seller.Http.PostAsync($"/api/admin/leads/{mine}/activities/{callId}/complete", null);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);

        var open = await seller.Http.GetFromJsonAsync<JsonElement>("/api/admin/leads/activities/mine");

        Assert.Equal(new[] { "Enviar proposta" }, open.EnumerateArray().Select(a => a.GetProperty("subject").GetString()).ToArray());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from leads where id = $1 and last_contacted is not null", mine));
    }

    [Fact]
    public async Task The_public_form_records_a_lead_ignores_a_filled_honeypot_and_limits_each_ip()
    {
        using var anonymous = host.CreateClient();
        var email = $"contato.{Guid.NewGuid():N}@restaurante.com.br";
        var bot = $"bot.{Guid.NewGuid():N}@spam.com";

        using var person = await anonymous.PostAsJsonAsync("/api/wholesale-inquiries",
            new { name = "Caio Martins", company = "Restaurante Serra", email, phone = "+5511988887777", message = "30 kg por mês" });
        using var spam = await anonymous.PostAsJsonAsync("/api/wholesale-inquiries",
            new { name = "Bot", company = "Spam", email = bot, website = "http://spam.example" });

        Assert.Equal(HttpStatusCode.Accepted, person.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, spam.StatusCode);
        Assert.Equal("Caio|Martins|Restaurante Serra|website|new", await host.Database.ScalarAsync<string>(
            "select first_name || '|' || last_name || '|' || company || '|' || source || '|' || status from leads where email = $1", email));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from leads where email = $1", bot));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var more = await anonymous.PostAsJsonAsync("/api/wholesale-inquiries",
                new { name = "Outro", company = "Outro", email = $"o{i}.{Guid.NewGuid():N}@x.com.br" });
            statuses.Add(more.StatusCode);
        }

        // 5 per hour per IP by default: the first two above and three more pass, the rest are refused.
        Assert.Equal(new[] { HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests }, statuses);
    }
}
