using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Content;

public sealed class ContentOptions
{
    public const string Section = "Content";

    /// <summary>How often each server adds the post views it counted to <c>blog_posts.view_count</c> in one statement.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan FlushViewsEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The storefront's public address, for the links of the feed and the sitemap.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    [Required, StringLength(120)]
    public string SiteTitle { get; set; } = "Mestres Café";
}
