using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Mail;

public sealed class MailTemplatesAdminApiTests(MailHostFixture fixture) : IClassFixture<MailHostFixture>
{
    private static readonly string[] SeededTemplates =
    [
        "layout", "password_reset", "email_verification", "registration_attempt", "order_received", "payment_confirmed", "payment_expired",
        "order_shipped", "refund_issued", "back_in_stock", "low_stock", "welcome", "loyalty_tier_changed", "reward_issued", "order_delivered",
        "review_request", "return_requested", "return_approved", "return_rejected", "return_refunded",
    ];

    [Fact]
    public async Task Every_seeded_template_renders_its_sample_in_the_layout_with_a_text_alternative()
    {
        using var admin = await fixture.Host.CreateSignedInClientAsync("admin");
        foreach (var name in SeededTemplates)
        {
            using var response = await admin.Http.PostAsync($"/api/admin/mail/templates/{name}/preview", null);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {await response.Content.ReadAsStringAsync()}");
            var preview = (await response.Content.ReadFromJsonAsync<Preview>())!;
            Assert.False(string.IsNullOrWhiteSpace(preview.Subject), name);
            Assert.Contains("CNPJ", preview.Html, StringComparison.Ordinal);
            Assert.Contains("CNPJ", preview.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_order_received_preview_shows_the_pix_code_and_money_in_reais()
    {
        using var admin = await fixture.Host.CreateSignedInClientAsync("admin");
        var preview = (await (await admin.Http.PostAsync("/api/admin/mail/templates/order_received/preview", null)).Content.ReadFromJsonAsync<Preview>())!;

        Assert.Equal("Recebemos o seu pedido MC-EXEMPLO", preview.Subject);
        Assert.Contains("00020126580014BR.GOV.BCB.PIX", preview.Text, StringComparison.Ordinal);
        Assert.Contains("R$\u00a0129,90", preview.Text, StringComparison.Ordinal);
        Assert.Contains("- 2 × Café Catuaí Amarelo 250 g: R$\u00a0109,90", preview.Text, StringComparison.Ordinal);
        Assert.Contains("Caf&#xE9; Catua&#xED; Amarelo", preview.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_with_a_syntax_error_is_refused_and_nothing_changes()
    {
        using var admin = await fixture.Host.CreateSignedInClientAsync("admin");
        var before = await fixture.Host.Database.ScalarAsync<string>("select content from email_templates where name = 'payment_confirmed'");

        using var response = await admin.Http.PutAsJsonAsync("/api/admin/mail/templates/payment_confirmed", new
        {
            subject = "Pagamento confirmado",
            html = "<p>{% if order.total > 0 %}Obrigado</p>",
            text = "Obrigado",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("html", out _), problem.ToString());
        Assert.Equal(before, await fixture.Host.Database.ScalarAsync<string>("select content from email_templates where name = 'payment_confirmed'"));
    }

    [Theory]
    [InlineData("Pedido {{ order.numero }}", "sampleData")]
    [InlineData("Pedido {{ order.number | sem_filtro }}", "sampleData")]
    [InlineData("Pedido {{ order.number ", "subject")]
    public async Task A_template_that_does_not_render_its_sample_is_refused(string subject, string errorKey)
    {
        using var admin = await fixture.Host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.PutAsJsonAsync("/api/admin/mail/templates/order_shipped", new
        {
            subject,
            html = "<p>ok</p>",
            text = "ok",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(errorKey, out _), problem.ToString());
    }

    [Fact]
    public async Task A_saved_template_is_audited_and_the_next_message_uses_it()
    {
        using var admin = await fixture.Host.CreateSignedInClientAsync("admin");
        var name = "teste_" + Guid.NewGuid().ToString("N")[..8];

        using var saved = await admin.Http.PutAsJsonAsync($"/api/admin/mail/templates/{name}", new
        {
            subject = "Olá {{ first_name }}, novidade",
            html = "<p>Oi, <b>{{ first_name }}</b></p>",
            text = "Oi, {{ first_name }}",
            sampleData = new { first_name = "Ana" },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(1, await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'email_template.create' and new_values->>'name' = $1 and user_id = $2", name, admin.UserId));

        var recipient = OutboundQueue.NewRecipient();
        var id = await fixture.Host.Database.ScalarAsync<Guid>(
            "insert into outbound_messages (message_id, template, recipient, data) values (gen_random_uuid(), $1, $2, '{\"first_name\": \"<Zé>\"}') returning message_id",
            name, recipient);
        Assert.True(await OutboundQueue.WaitAllSentAsync(fixture.Host, [id]));

        var message = Assert.Single(fixture.Mail.MessagesTo(recipient));
        Assert.Equal("Olá <Zé>, novidade", message.Subject);
        // Values are HTML-encoded in the HTML body, as they are in the text one.
        Assert.Contains("<b>&lt;Z&#xE9;&gt;</b>", message.HtmlBody, StringComparison.Ordinal);
        Assert.StartsWith("Oi, <Zé>", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_renders_an_unsaved_edit_with_the_given_sample()
    {
        using var admin = await fixture.Host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.PostAsJsonAsync("/api/admin/mail/templates/order_shipped/preview", new
        {
            subject = "Rastreio {{ order.tracking_number }}",
            html = "<p>{{ order.tracking_number }}</p>",
            text = "{{ order.tracking_number }}",
            sampleData = new { order = new { tracking_number = "QB000000001BR" } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Rastreio QB000000001BR", (await response.Content.ReadFromJsonAsync<Preview>())!.Subject);
    }

    [Fact]
    public async Task Customers_cannot_read_or_edit_templates()
    {
        using var customer = await fixture.Host.CreateSignedInClientAsync("customer");

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.GetAsync("/api/admin/mail/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.PutAsJsonAsync("/api/admin/mail/templates/layout",
            new { subject = "x", html = "x", text = "x" })).StatusCode);
    }

    private sealed record Preview(string Subject, string Html, string Text);
}
