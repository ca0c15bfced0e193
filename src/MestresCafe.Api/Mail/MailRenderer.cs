using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Mail;

/// <summary>A template's three parts as stored: subject, HTML body and text body (Liquid).</summary>
public sealed record MailTemplateText(string Subject, string Html, string Text);

/// <summary>A message ready to send: both bodies always present (the text one is the alternative for clients that show no HTML).</summary>
public sealed record RenderedMail(string Subject, string Html, string Text);

/// <summary>A template missing or that does not render: the message cannot be sent as it is.</summary>
public sealed class MailTemplateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Renders mail templates with Fluid (Liquid) in pt-BR: the message's own template, then the shared
/// layout around it (logo, footer with the company's details), once as HTML (values HTML-encoded)
/// and once as text. Filters beyond Liquid's: <c>brl</c> (R$ 1.234,56). Dates print in São Paulo time.
/// </summary>
public sealed class MailRenderer(IOptions<MailOptions> options)
{
    public const string LayoutBodyVariable = "body";

    private static readonly FluidParser Parser = new();
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");
    private static readonly TemplateOptions Lenient = NewOptions(strict: false);
    private static readonly TemplateOptions Strict = NewOptions(strict: true);
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);
    private const int MaxParsedKept = 500;

    /// <summary>
    /// Why the template cannot be saved, by part (subject, html, text): a syntax error, or a failure
    /// to render against <paramref name="sample"/> with unknown variables and filters refused.
    /// Empty when it renders.
    /// </summary>
    public Dictionary<string, string[]> Check(MailTemplateText template, MailTemplateText layout, JsonElement sample)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (part, source) in Parts(template))
        {
            if (!Parser.TryParse(source, out _, out var error))
            {
                errors[part] = [$"Liquid syntax error: {error}"];
            }
        }

        if (errors.Count == 0)
        {
            try
            {
                Render(template, layout, sample, strict: true);
            }
            catch (MailTemplateException error)
            {
                errors["sampleData"] = [error.Message];
            }
        }

        return errors;
    }

    /// <summary>
    /// Renders <paramref name="template"/> inside <paramref name="layout"/> with <paramref name="data"/>.
    /// Strict (the check at save) refuses unknown variables and filters; a send is lenient, so an
    /// optional value missing from one message renders empty rather than losing the message.
    /// </summary>
    public RenderedMail Render(MailTemplateText template, MailTemplateText layout, JsonElement data, bool strict = false)
    {
        var settings = strict ? Strict : Lenient;
        var model = Model(data, strict);
        var subject = RenderPart("subject", template.Subject, model, settings, NullEncoder.Default);
        var html = RenderPart("html", layout.Html, With(model, RenderPart("html", template.Html, model, settings, HtmlEncoder.Default), subject, encode: false),
            settings, HtmlEncoder.Default);
        var text = RenderPart("text", layout.Text, With(model, RenderPart("text", template.Text, model, settings, NullEncoder.Default), subject, encode: false),
            settings, NullEncoder.Default);
        // A subject is one header line.
        return new RenderedMail(string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim(), html, text.Trim() + "\n");
    }

    /// <summary>One plain-text line or paragraph (an in-app notice) with the message's data.</summary>
    public string RenderPlain(string source, JsonElement data) => RenderPart("notice", source, Model(data, strict: false), Lenient, NullEncoder.Default).Trim();

    /// <summary>
    /// The data as Fluid values. Fluid's strict mode takes a member whose value is nil for an unknown
    /// one, so a check stands a null in as false: still empty to an <c>if</c>, but known.
    /// </summary>
    private Dictionary<string, object?> Model(JsonElement data, bool strict)
    {
        var nullValue = strict ? BooleanValue.False : null;
        var model = data.ValueKind == JsonValueKind.Object ? (Dictionary<string, object?>)FromJson(data, nullValue)! : [];
        var mail = options.Value;
        model["company"] = new Dictionary<string, object?>
        {
            ["name"] = mail.Company.Name,
            ["address"] = mail.Company.Address,
            ["cnpj"] = mail.Company.Cnpj,
            ["support_email"] = mail.Company.SupportEmail,
            ["logo_url"] = mail.Company.LogoUrl,
        };
        model["site_url"] = mail.PublicBaseUrl.TrimEnd('/');
        // The layout shows these for marketing only ({% if unsubscribe_url %}); elsewhere they are
        // known and false, so the strict check at save accepts the layout and a send prints nothing.
        model.TryAdd(Marketing.MarketingMailDecorator.UnsubscribeUrlField, BooleanValue.False);
        model.TryAdd(Marketing.MarketingMailDecorator.PreferencesUrlField, BooleanValue.False);
        return model;
    }

    private static Dictionary<string, object?> With(Dictionary<string, object?> model, string body, string subject, bool encode) =>
        new(model) { [LayoutBodyVariable] = new StringValue(body, encode), ["subject"] = subject };

    private static string RenderPart(string part, string source, Dictionary<string, object?> model, TemplateOptions settings, TextEncoder encoder)
    {
        var template = ParseCached(part, source);
        var context = new TemplateContext(settings);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value is FluidValue fluid ? fluid : FluidValue.Create(value, settings));
        }

        try
        {
            return template.Render(context, encoder);
        }
        catch (Exception error) when (error is FluidException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new MailTemplateException($"The {part} does not render: {error.Message}", error);
        }
    }

    private static IFluidTemplate ParseCached(string part, string source)
    {
        if (Parsed.TryGetValue(source, out var cached))
        {
            return cached;
        }

        if (!Parser.TryParse(source, out var template, out var error))
        {
            throw new MailTemplateException($"The {part} is not valid Liquid: {error}");
        }

        if (Parsed.Count >= MaxParsedKept)
        {
            // Edited templates leave old sources behind; a few hundred are kept, then the cache starts over.
            Parsed.Clear();
        }

        Parsed[source] = template;
        return template;
    }

    private static IEnumerable<(string Part, string Source)> Parts(MailTemplateText template) =>
        [("subject", template.Subject), ("html", template.Html), ("text", template.Text)];

    private static object? FromJson(JsonElement element, FluidValue? nullValue) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value, nullValue)),
        JsonValueKind.Array => element.EnumerateArray().Select(e => FromJson(e, nullValue)).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetDecimal(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => nullValue,
    };

    private static TemplateOptions NewOptions(bool strict)
    {
        var settings = new TemplateOptions
        {
            CultureInfo = PtBr,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo"),
            StrictVariables = strict,
            StrictFilters = strict,
            // A template is data an administrator edits: no runaway loops in a sender.
            MaxSteps = 100_000,
        };
        settings.Filters.AddFilter("brl", static (input, _, _) =>
            // A no-break space after R$, whatever the platform's culture data says, so the symbol never wraps alone.
            new StringValue(input.ToNumberValue().ToString("C", PtBr).Replace(' ', '\u00a0')));
        return settings;
    }
}
