using System.Text.Json;
using MestresCafe.Api.Mail;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Tests.Mail;

public sealed class MailRendererTests
{
    private static readonly MailRenderer Renderer = new(Options.Create(new MailOptions()));
    private static readonly MailTemplateText Layout = new("", "<main>{{ body }}</main><footer>{{ company.cnpj }}</footer>", "{{ body }}\n--\n{{ company.cnpj }}");

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void The_message_renders_inside_the_layout_in_both_bodies()
    {
        var rendered = Renderer.Render(new("Pedido {{ order.number }}", "<p>{{ order.total | brl }}</p>", "Total {{ order.total | brl }}"), Layout,
            Json("""{"order": {"number": "MC-1", "total": 1234.5}}"""));

        Assert.Equal("Pedido MC-1", rendered.Subject);
        Assert.Equal("<main><p>R$&#xA0;1.234,50</p></main><footer>00.000.000/0001-00</footer>", rendered.Html);
        Assert.Equal("Total R$\u00a01.234,50\n--\n00.000.000/0001-00\n", rendered.Text);
    }

    [Fact]
    public void Values_are_html_encoded_in_the_html_body_only()
    {
        var rendered = Renderer.Render(new("{{ name }}", "{{ name }}", "{{ name }}"), Layout, Json("""{"name": "<b>Zé</b>"}"""));

        Assert.Equal("<b>Zé</b>", rendered.Subject);
        Assert.StartsWith("<main>&lt;b&gt;Z&#xE9;&lt;/b&gt;</main>", rendered.Html, StringComparison.Ordinal);
        Assert.StartsWith("<b>Zé</b>", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subject_never_spans_lines()
    {
        var rendered = Renderer.Render(new("Olá\r\nBcc: x@y.z", "x", "x"), Layout, Json("{}"));

        Assert.Equal("Olá Bcc: x@y.z", rendered.Subject);
    }

    [Fact]
    public void A_send_renders_a_missing_value_empty_and_a_check_refuses_it()
    {
        var template = new MailTemplateText("Rastreio {{ order.tracking }}", "x", "x");

        Assert.Equal("Rastreio", Renderer.Render(template, Layout, Json("""{"order": {}}""")).Subject);
        Assert.Contains("sampleData", Renderer.Check(template, Layout, Json("""{"order": {}}""")).Keys);
    }

    [Fact]
    public void A_null_value_is_known_to_a_check_and_empty_to_an_if()
    {
        var template = new MailTemplateText("{% if order.boleto_line %}Boleto{% else %}Pix{% endif %}", "x", "x");

        Assert.Empty(Renderer.Check(template, Layout, Json("""{"order": {"boleto_line": null}}""")));
        Assert.Equal("Pix", Renderer.Render(template, Layout, Json("""{"order": {"boleto_line": null}}""")).Subject);
    }

    [Fact]
    public void A_syntax_error_is_named_by_its_part()
    {
        var errors = Renderer.Check(new("ok", "ok", "{% for x in y %}"), Layout, Json("{}"));

        Assert.Equal(["text"], errors.Keys);
    }

    [Fact]
    public void An_unknown_filter_is_refused_at_check()
    {
        var errors = Renderer.Check(new("{{ 1 | nao_existe }}", "ok", "ok"), Layout, Json("{}"));

        Assert.Contains("sampleData", errors.Keys);
    }
}
