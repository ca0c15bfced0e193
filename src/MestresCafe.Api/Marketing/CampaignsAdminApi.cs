using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Mail;
using MestresCafe.Api.Security;
using MestresCafe.Data.Mail;
using MestresCafe.Data.Marketing;
using MestresCafe.Marketing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Marketing;

/// <summary>/api/admin/marketing/campaigns: e-mail and text (SMS/WhatsApp) campaigns to a segment or the newsletter, their preview, test, schedule, send, pause, resume and report (marketing:write).</summary>
public static class CampaignsAdminApi
{
    public const string Permission = "marketing:write";

    public static RouteGroupBuilder MapCampaignsAdminApi(this RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/admin/marketing/campaigns").WithTags("Campaigns").RequireAuthorization().RequirePermission(Permission)
            .WithRequestSizeLimit(16 * 1024);
        campaigns.MapGet("/", ListAsync).WithName("ListCampaigns").WithSummary("Every campaign, newest first.");
        campaigns.MapGet("/{id:long}", GetAsync).WithName("GetCampaign").WithSummary("One campaign.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapPost("/", CreateAsync).WithName("CreateCampaign")
            .WithSummary("Creates a draft campaign: by e-mail (a marketing or newsletter template) or by text (a body of at most 480 characters once composed; 422 otherwise), an audience (a segment, or the newsletter's subscribers of a topic or all), a send rate and a conversion window.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        campaigns.MapPut("/{id:long}", UpdateAsync).WithName("UpdateCampaign")
            .WithSummary("Replaces a draft or scheduled campaign's settings; 409 once sending started.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        campaigns.MapGet("/{id:long}/preview", PreviewAsync).WithName("PreviewCampaign")
            .WithSummary("The campaign's message with sample data: an e-mail's subject, HTML and text, or a text as composed with its length (422 when too long).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        campaigns.MapPost("/{id:long}/test", SendTestAsync).WithName("SendCampaignTest")
            .WithSummary("Sends the campaign's e-mail to the signed-in staff member's own address (working unsubscribe links, no tracking), or its text to their own phone (422 without one).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        campaigns.MapPost("/{id:long}/schedule", ScheduleAsync).WithName("ScheduleCampaign")
            .WithSummary("Schedules a draft (or moves a scheduled) campaign: at that time the audience is frozen and sending starts.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:long}/send", SendNowAsync).WithName("SendCampaignNow")
            .WithSummary("Starts sending now: the audience is frozen once into the campaign's recipients and handed to the mail outbox at the campaign's rate.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:long}/pause", PauseAsync).WithName("PauseCampaign")
            .WithSummary("Pauses a scheduled or sending campaign: no further recipient is handed to the mail outbox until it is resumed (those already handed still go).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:long}/resume", ResumeAsync).WithName("ResumeCampaign")
            .WithSummary("Resumes a paused campaign where it stopped, at its send rate.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapPost("/{id:long}/cancel", CancelAsync).WithName("CancelCampaign")
            .WithSummary("Cancels a campaign: recipients not yet handed to the mail outbox get nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapGet("/{id:long}/report", ReportAsync).WithName("GetCampaignReport")
            .WithSummary("The channel, counts (recipients, sent, failed, delivered for texts, bounced, opened for e-mail, clicked, unsubscribed, conversions), rates over the sent messages and attributed revenue.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapGet("/{id:long}/report.csv", ReportCsvAsync).WithName("ExportCampaignReport")
            .WithSummary("The same report as CSV: a header line and one line of figures.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return campaigns;
    }

    private static async Task<Ok<IReadOnlyList<CampaignRow>>> ListAsync(CampaignStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken));

    private static async Task<Results<Ok<CampaignRow>, ProblemHttpResult>> GetAsync(long id, CampaignStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } campaign ? TypedResults.Ok(campaign) : Problems.NotFound("No such campaign.");

    private static async Task<Results<Created<CampaignRow>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CampaignInput body, CampaignStore store, MarketingTextComposer texts, IOptions<MarketingOptions> options, HttpContext http, CancellationToken cancellationToken)
    {
        if (TextRefusal(body, texts) is { } refused)
        {
            return refused;
        }

        var written = await store.CreateAsync(Fields(body, options.Value), AuditActors.From(http), cancellationToken);
        return written.Status == CampaignWriteStatus.Done
            ? TypedResults.Created($"/api/admin/marketing/campaigns/{written.Campaign!.Id}", written.Campaign)
            : Problems.Unprocessable(written.Field!, written.Message!);
    }

    private static async Task<Results<Ok<CampaignRow>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        long id, CampaignInput body, CampaignStore store, MarketingTextComposer texts, IOptions<MarketingOptions> options, HttpContext http,
        CancellationToken cancellationToken) =>
        TextRefusal(body, texts) is { } refused ? refused : Answer(await store.UpdateAsync(id, Fields(body, options.Value), AuditActors.From(http), cancellationToken));

    /// <summary>A text campaign's body that cannot be sent (not valid, or too long once composed): refused before anything is written.</summary>
    private static ProblemHttpResult? TextRefusal(CampaignInput body, MarketingTextComposer texts) =>
        body.Channel == CampaignChannels.Text && texts.Preview(body.TextBody!.Trim(), 0, body.Name!.Trim()).Refusal is { } refusal
            ? Problems.Unprocessable("textBody", refusal)
            : null;

    private static async Task<Results<Ok<CampaignPreview>, ProblemHttpResult>> PreviewAsync(
        long id, CampaignStore store, MailTemplateStore templates, MailRenderer renderer, MarketingLinks links, MarketingTextComposer texts,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } campaign)
        {
            return Problems.NotFound("No such campaign.");
        }

        if (campaign.TextBody is { } textBody)
        {
            var (text, refusal) = texts.Preview(textBody, campaign.Id, campaign.Name);
            return refusal is null
                ? TypedResults.Ok(new CampaignPreview(CampaignChannels.Text, null, null, text, text.Length))
                : Problems.Unprocessable("textBody", refusal);
        }

        var set = await templates.LoadForSendingAsync(campaign.Template ?? "", cancellationToken);
        if (set.Template is null || set.Layout is null)
        {
            return Problems.Unprocessable("template", "The campaign's template is missing or inactive.");
        }

        var data = set.Template.SampleData.ValueKind == JsonValueKind.Object ? JsonNode.Parse(set.Template.SampleData.GetRawText())!.AsObject() : [];
        data["campaign"] = new JsonObject { ["id"] = campaign.Id, ["name"] = campaign.Name };
        data[MarketingMailDecorator.UnsubscribeUrlField] = links.BaseUrl + MarketingLinks.UnsubscribePagePath + "?token=exemplo";
        data[MarketingMailDecorator.PreferencesUrlField] = links.BaseUrl + MarketingLinks.PreferencesPagePath + "?token=exemplo";
        try
        {
            var rendered = renderer.Render(MailComposer.Text(set.Template), MailComposer.Text(set.Layout), JsonSerializer.SerializeToElement(data));
            return TypedResults.Ok(new CampaignPreview(CampaignChannels.Email, rendered.Subject, rendered.Html, rendered.Text, rendered.Text.Length));
        }
        catch (MailTemplateException error)
        {
            return Problems.Unprocessable("template", error.Message);
        }
    }

    private static async Task<Results<Accepted<CampaignTestSent>, ProblemHttpResult>> SendTestAsync(
        long id, CampaignStore store, HttpContext http, CancellationToken cancellationToken)
    {
        var staff = http.User.GetUserId();
        if ((await store.GetAsync(id, cancellationToken))?.Channel == CampaignChannels.Text)
        {
            var test = await store.SendTextTestAsync(id, staff, AuditActors.From(http), cancellationToken);
            return test.Status switch
            {
                CampaignWriteStatus.Done => TypedResults.Accepted((string?)null, new CampaignTestSent(test.MessageId!.Value, test.Phone!)),
                CampaignWriteStatus.NotFound => Problems.NotFound("No such campaign."),
                _ => Problems.Unprocessable("phone", "Add a phone number to your account to receive the test text."),
            };
        }

        return await store.SendTestAsync(id, staff, AuditActors.From(http), cancellationToken) is { } messageId
            ? TypedResults.Accepted((string?)null, new CampaignTestSent(messageId, http.User.FindFirst(MestresClaims.Email)?.Value ?? ""))
            : Problems.NotFound("No such campaign.");
    }

    private static async Task<Results<Ok<CampaignRow>, ValidationProblem, ProblemHttpResult>> ScheduleAsync(
        long id, CampaignSchedule body, CampaignStore store, TimeProvider clock, HttpContext http, CancellationToken cancellationToken)
    {
        if (body.SendAt!.Value <= clock.GetUtcNow())
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sendAt"] = ["A time in the future; to send now, use /send."] });
        }

        return Answer(await store.ScheduleAsync(id, body.SendAt, AuditActors.From(http), cancellationToken));
    }

    private static async Task<Results<Ok<CampaignRow>, ValidationProblem, ProblemHttpResult>> SendNowAsync(
        long id, CampaignStore store, CampaignDispatchSignal signal, HttpContext http, CancellationToken cancellationToken)
    {
        var written = await store.ScheduleAsync(id, null, AuditActors.From(http), cancellationToken);
        signal.Raise();
        return Answer(written);
    }

    private static async Task<Results<Ok<CampaignRow>, ValidationProblem, ProblemHttpResult>> PauseAsync(
        long id, CampaignStore store, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await store.PauseAsync(id, AuditActors.From(http), cancellationToken));

    private static async Task<Results<Ok<CampaignRow>, ValidationProblem, ProblemHttpResult>> ResumeAsync(
        long id, CampaignStore store, CampaignDispatchSignal signal, HttpContext http, CancellationToken cancellationToken)
    {
        var written = await store.ResumeAsync(id, AuditActors.From(http), cancellationToken);
        signal.Raise();
        return Answer(written);
    }

    private static async Task<Results<Ok<CampaignRow>, ValidationProblem, ProblemHttpResult>> CancelAsync(
        long id, CampaignStore store, HttpContext http, CancellationToken cancellationToken) =>
        Answer(await store.CancelAsync(id, AuditActors.From(http), cancellationToken));

    private static async Task<Results<Ok<CampaignReport>, ProblemHttpResult>> ReportAsync(long id, CampaignReportQuery reports, CancellationToken cancellationToken) =>
        await reports.GetAsync(id, cancellationToken) is { } report ? TypedResults.Ok(report) : Problems.NotFound("No such campaign.");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ReportCsvAsync(long id, CampaignReportQuery reports, CancellationToken cancellationToken)
    {
        if (await reports.GetAsync(id, cancellationToken) is not { } r)
        {
            return Problems.NotFound("No such campaign.");
        }

        var columns = new (string Name, object? Value)[]
        {
            ("campaign_id", r.CampaignId), ("name", r.Name), ("channel", r.Channel), ("status", r.Status), ("start_date", r.StartDate),
            ("completed_at", r.CompletedAt), ("recipients", r.Recipients), ("pending", r.Pending), ("skipped", r.Skipped), ("queued", r.Queued),
            ("sent", r.Sent), ("failed", r.Failed), ("delivered", r.Delivered), ("bounced", r.Bounced), ("opened", r.Opened), ("clicked", r.Clicked),
            ("unsubscribed", r.Unsubscribed), ("complained", r.Complained), ("conversions", r.Conversions),
            ("revenue", r.Revenue), ("open_rate", r.OpenRate), ("click_rate", r.ClickRate), ("click_to_open_rate", r.ClickToOpenRate),
            ("conversion_rate", r.ConversionRate), ("unsubscribe_rate", r.UnsubscribeRate),
            ("complaint_rate", r.ComplaintRate), ("conversion_window_days", r.ConversionWindowDays),
        };
        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(c => c.Name)).Append("\r\n");
        csv.AppendJoin(',', columns.Select(c => Cell(c.Value))).Append("\r\n");
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"campanha-{r.CampaignId}.csv");
    }

    /// <summary>One CSV cell: invariant numbers and ISO times; text quoted, and a leading formula character defused for spreadsheets.</summary>
    private static string Cell(object? value) => value switch
    {
        null => "",
        string text => "\"" + (text.Length > 0 && "=+-@".Contains(text[0]) ? "'" + text : text).Replace("\"", "\"\"") + "\"",
        DateTimeOffset time => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static CampaignFields Fields(CampaignInput body, MarketingOptions options) => new(
        body.Name!.Trim(), string.IsNullOrWhiteSpace(body.Description) ? null : body.Description.Trim(), body.Channel ?? CampaignChannels.Email,
        body.Template?.Trim(), body.TextBody?.Trim(), body.Audience!,
        body.SegmentId, body.NewsletterTopic, body.SendRatePerSecond ?? options.DefaultSendRate, body.ConversionWindowDays ?? options.DefaultConversionWindowDays);

    private static Results<Ok<CampaignRow>, ValidationProblem, ProblemHttpResult> Answer(CampaignWrite written) => written.Status switch
    {
        CampaignWriteStatus.Done => TypedResults.Ok(written.Campaign!),
        CampaignWriteStatus.NotFound => Problems.NotFound("No such campaign."),
        CampaignWriteStatus.WrongState => Problems.Conflict($"The campaign is {written.Campaign!.Status}.",
            "Settings, schedule and sending change only while it is a draft or scheduled; only a scheduled or sending one pauses, only a paused one resumes; a completed or cancelled one cannot be cancelled."),
        _ => Problems.Unprocessable(written.Field!, written.Message!),
    };
}
