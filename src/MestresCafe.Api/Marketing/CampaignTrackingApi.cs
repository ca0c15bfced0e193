using MestresCafe.Api.Admin;
using MestresCafe.Api.Security;
using MestresCafe.Data.Marketing;
using MestresCafe.Marketing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace MestresCafe.Api.Marketing;

/// <summary>
/// /api/marketing: the open pixel and the click redirects of campaign e-mails, and the short links
/// of campaign texts. All are signed per recipient (an e-mail's click also over its target; a
/// text's link names the n-th link of its campaign's body), so a forged or altered link counts
/// nothing and never redirects anywhere.
/// </summary>
public static class CampaignTrackingApi
{
    // The smallest transparent GIF: 1×1, one transparent colour.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static RouteGroupBuilder MapCampaignTrackingApi(this RouteGroupBuilder api)
    {
        var tracking = api.MapGroup("/marketing").WithTags("Campaigns").AllowAnonymous().WithNoStore();
        tracking.MapGet("/open/{token}", OpenAsync)
            .WithName("TrackCampaignOpen")
            .WithSummary("The open pixel of a campaign e-mail: records the recipient's first open (and counts each) and answers a transparent 1×1 GIF, whatever the token.");
        tracking.MapGet("/click/{token}", ClickAsync)
            .WithName("TrackCampaignClick")
            .WithSummary("A campaign e-mail's link: records the recipient's click and redirects to the target the link was signed with; 404 for a link not signed by the store.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        tracking.MapGet("/t/{token}", TextClickAsync)
            .WithName("TrackCampaignTextClick")
            .WithSummary("A campaign text's short link: records the recipient's click as an e-mail's is (attribution alike) and redirects to the link of the campaign's text it stands for; 404 for a link not signed by the store.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return tracking;
    }

    private static async Task<FileContentHttpResult> OpenAsync(string token, MarketingLinks links, CampaignTrackingStore tracking, CancellationToken cancellationToken)
    {
        if (links.ReadOpenToken(token) is { } recipient)
        {
            await tracking.RecordOpenAsync(recipient, cancellationToken);
        }

        return TypedResults.File(Pixel, "image/gif");
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> ClickAsync(
        string token, string? u, MarketingLinks links, CampaignTrackingStore tracking, CancellationToken cancellationToken)
    {
        if (u is null || !Uri.TryCreate(u, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https")
            || links.ReadClickToken(token, u) is not { } recipient)
        {
            return Problems.NotFound("This link is not valid.");
        }

        await tracking.RecordClickAsync(recipient, cancellationToken);
        return TypedResults.Redirect(u);
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> TextClickAsync(
        string token, MarketingLinks links, CampaignTrackingStore tracking, CancellationToken cancellationToken)
    {
        if (links.ReadTextClickToken(token) is not { } click
            || await tracking.TextBodyAsync(click.RecipientId, cancellationToken) is not { } body
            || MarketingText.Links(body) is not { } targets || click.LinkIndex >= targets.Count)
        {
            return Problems.NotFound("This link is not valid.");
        }

        await tracking.RecordClickAsync(click.RecipientId, cancellationToken);
        return TypedResults.Redirect(targets[click.LinkIndex]);
    }
}
