using System.Text.Json;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Security;
using MestresCafe.Data.Mail;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Mail;

/// <summary>
/// /api/admin/mail/templates: the e-mail templates (marketing:write of the seed, "templates"). A
/// template that does not parse, or does not render against its sample data with every variable and
/// filter known, is refused at save (400 naming the part); a save is audited. The layout (named
/// <c>layout</c>) is checked around a sample body.
/// </summary>
public static class MailTemplatesAdminApi
{
    public const string Permission = "marketing:write";
    private const long MaxBodyBytes = 512 * 1024;
    private const string Name = "/{name:maxlength(100):regex(^[a-z][a-z0-9_]*$)}";
    private static readonly MailTemplateText SampleBody = new("Assunto de exemplo", "<p>Corpo de exemplo</p>", "Corpo de exemplo");

    public static RouteGroupBuilder MapMailTemplatesAdminApi(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/admin/mail/templates").WithTags("Back office: mail")
            .RequireAuthorization().RequirePermission(Permission).WithRequestSizeLimit(MaxBodyBytes);
        templates.MapGet("/", ListAsync)
            .WithName("ListEmailTemplates")
            .WithSummary("Every e-mail template with its subject, bodies and sample data.");
        templates.MapGet(Name, GetAsync)
            .WithName("GetEmailTemplate")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One e-mail template.");
        templates.MapPut(Name, SaveAsync)
            .WithName("SaveEmailTemplate")
            .WithSummary("Creates or replaces a template; refused (400) when it does not parse or render against its sample data.");
        templates.MapPost(Name + "/preview", PreviewAsync)
            .WithName("PreviewEmailTemplate")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Renders the saved template, or the one in the body when given, against the sample data, inside the layout.");
        return templates;
    }

    private static async Task<Ok<IReadOnlyList<EmailTemplateRow>>> ListAsync(MailTemplateStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken));

    private static async Task<Results<Ok<EmailTemplateRow>, NotFound>> GetAsync(string name, MailTemplateStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(name, cancellationToken) is { } row ? TypedResults.Ok(row) : TypedResults.NotFound();

    private static async Task<Results<Ok<EmailTemplateRow>, ValidationProblem>> SaveAsync(
        string name, EmailTemplateRequest request, MailTemplateStore store, MailRenderer renderer, HttpContext http, CancellationToken cancellationToken)
    {
        var existing = await store.GetAsync(name, cancellationToken);
        var sample = request.SampleData is { ValueKind: JsonValueKind.Object } given ? given : existing?.SampleData ?? EmptyObject;
        var template = new MailTemplateText(request.Subject, request.Html, request.Text);
        var errors = await CheckAsync(name, template, sample, store, renderer, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The template does not render");
        }

        var saved = await store.SaveAsync(
            new EmailTemplateEdit(name, request.Subject, request.Html, request.Text, request.Type ?? existing?.Type ?? "transactional",
                sample.GetRawText(), request.IsActive ?? existing?.IsActive ?? true),
            AuditActors.From(http), cancellationToken);
        return TypedResults.Ok(saved);
    }

    private static async Task<Results<Ok<MailPreview>, ValidationProblem, NotFound>> PreviewAsync(
        string name, EmailTemplateRequest? request, MailTemplateStore store, MailRenderer renderer, CancellationToken cancellationToken)
    {
        var existing = await store.GetAsync(name, cancellationToken);
        if (request is null && existing is null)
        {
            return TypedResults.NotFound();
        }

        var template = request is null ? MailComposer.Text(existing!) : new MailTemplateText(request.Subject, request.Html, request.Text);
        var sample = request?.SampleData is { ValueKind: JsonValueKind.Object } given ? given : existing?.SampleData ?? EmptyObject;
        var errors = await CheckAsync(name, template, sample, store, renderer, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The template does not render");
        }

        var (body, layout) = await BodyAndLayoutAsync(name, template, store, cancellationToken);
        var rendered = renderer.Render(body, layout, sample);
        return TypedResults.Ok(new MailPreview(rendered.Subject, rendered.Html, rendered.Text));
    }

    private static async Task<Dictionary<string, string[]>> CheckAsync(
        string name, MailTemplateText template, JsonElement sample, MailTemplateStore store, MailRenderer renderer, CancellationToken cancellationToken)
    {
        var (body, layout) = await BodyAndLayoutAsync(name, template, store, cancellationToken);
        return renderer.Check(body, layout, sample);
    }

    /// <summary>A message template goes inside the saved layout; the layout itself goes around a sample body.</summary>
    private static async Task<(MailTemplateText Body, MailTemplateText Layout)> BodyAndLayoutAsync(
        string name, MailTemplateText template, MailTemplateStore store, CancellationToken cancellationToken)
    {
        if (name == MailTemplateStore.LayoutName)
        {
            return (SampleBody, template);
        }

        var layout = await store.GetAsync(MailTemplateStore.LayoutName, cancellationToken);
        return (template, layout is null ? new MailTemplateText("", "{{ body }}", "{{ body }}") : MailComposer.Text(layout));
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;
}
