using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Privacy;

/// <summary>LGPD access and consent: the export built in the background and downloaded once; consents with time and source.</summary>
public sealed class DataExportAndConsentTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task An_export_holds_the_customer_s_data_as_json_and_csv_and_downloads_once()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");
        await host.Database.ScalarAsync<int>("update customers set tax_id = '52998224725' where id = $1 returning 1", customer.CustomerId!.Value);
        using (var consent = await customer.Http.PutAsJsonAsync("/api/me/consents", new { consents = new[] { new { purpose = "whatsapp", granted = true } } }))
        {
            Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        }

        using var requested = await customer.Http.PostAsync("/api/me/data-export", null);
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.Equal("no-store", requested.Headers.CacheControl?.ToString());
        var export = await requested.Content.ReadFromJsonAsync<JsonElement>();
        var url = export.GetProperty("downloadUrl").GetString()!;
        Assert.True(await Eventually.TrueAsync(async () =>
            (await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/data-export")).GetProperty("status").GetString() == "ready"));

        using var anonymous = host.CreateClient();
        using var zip = await anonymous.GetAsync(url);
        using var again = await anonymous.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        Assert.Equal("application/zip", zip.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync());
        Assert.Contains(archive.Entries, e => e.Name == "account.csv");
        Assert.Contains(archive.Entries, e => e.Name == "consents.csv");
        using var document = JsonDocument.Parse(archive.GetEntry("dados-pessoais.json")!.Open());
        var sections = document.RootElement.GetProperty("sections");
        Assert.Equal(customer.Email, sections.GetProperty("account")[0].GetProperty("email").GetString());
        Assert.False(sections.GetProperty("account")[0].TryGetProperty("password_hash", out _));
        Assert.Equal("52998224725", sections.GetProperty("customer")[0].GetProperty("tax_id").GetString());
        Assert.Equal("whatsapp", sections.GetProperty("consents")[0].GetProperty("purpose").GetString());
        Assert.Contains(customer.Email, new StreamReader(archive.GetEntry("account.csv")!.Open()).ReadToEnd());
        Assert.Equal("downloaded", (await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/data-export")).GetProperty("status").GetString());
        Assert.Equal(0, await host.Database.ScalarAsync<long>(
            "select count(*) from personal_data_exports where user_id = $1 and (archive is not null or document is not null)", customer.UserId));
    }

    [Fact]
    public async Task A_new_request_retires_the_earlier_one_and_json_is_the_other_format()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");

        using var first = await customer.Http.PostAsync("/api/me/data-export", null);
        using var second = await customer.Http.PostAsync("/api/me/data-export", null);
        var firstUrl = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("downloadUrl").GetString()!;
        var secondUrl = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("downloadUrl").GetString()!;
        Assert.True(await Eventually.TrueAsync(async () =>
            (await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/data-export")).GetProperty("status").GetString() == "ready"));

        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(firstUrl)).StatusCode);
        using var json = await anonymous.GetAsync(secondUrl + "?format=json");
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var document = await json.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(customer.UserId, document.GetProperty("userId").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/data-exports/not-a-token")).StatusCode);
    }

    [Fact]
    public async Task Consents_are_recorded_when_they_change_with_source_and_time_and_drive_the_newsletter()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");
        var before = await customer.Http.GetFromJsonAsync<JsonElement>("/api/me/consents");
        Assert.All(before.EnumerateArray(), c => Assert.False(c.GetProperty("granted").GetBoolean()));

        using var granted = await customer.Http.PutAsJsonAsync("/api/me/consents",
            new { source = "checkout", consents = new[] { new { purpose = "email_marketing", granted = true } } });
        using var repeated = await customer.Http.PutAsJsonAsync("/api/me/consents",
            new { consents = new[] { new { purpose = "email_marketing", granted = true } } });

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var email = (await repeated.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Single(c => c.GetProperty("purpose").GetString() == "email_marketing");
        Assert.True(email.GetProperty("granted").GetBoolean());
        Assert.Equal("checkout", email.GetProperty("source").GetString());
        Assert.NotEqual(JsonValueKind.Null, email.GetProperty("recordedAt").ValueKind);
        Assert.Equal("subscribed", await host.Database.ScalarAsync<string>("select status from newsletter_subscriptions where email = $1", customer.Email));

        using var withdrawn = await customer.Http.PutAsJsonAsync("/api/me/consents",
            new { consents = new[] { new { purpose = "email_marketing", granted = false } } });

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("unsubscribed", await host.Database.ScalarAsync<string>("select status from newsletter_subscriptions where email = $1", customer.Email));
        Assert.Equal(2, await host.Database.ScalarAsync<long>("select count(*) from marketing_consents where user_id = $1", customer.UserId));
        Assert.Equal(2, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'consent.change' and record_id = $1", customer.UserId));
    }

    [Fact]
    public async Task An_unknown_purpose_or_source_is_a_400_naming_the_field()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");

        using var purpose = await customer.Http.PutAsJsonAsync("/api/me/consents", new { consents = new[] { new { purpose = "telepathy", granted = true } } });
        using var source = await customer.Http.PutAsJsonAsync("/api/me/consents",
            new { source = "rumour", consents = new[] { new { purpose = "sms", granted = true } } });

        Assert.Equal(HttpStatusCode.BadRequest, purpose.StatusCode);
        Assert.True((await purpose.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("consents[0].purpose", out _));
        Assert.Equal(HttpStatusCode.BadRequest, source.StatusCode);
        Assert.True((await source.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("source", out _));
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from marketing_consents where user_id = $1", customer.UserId));
    }
}
