using System.Net;
using Dapper;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Server.DemoData;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using Npgsql;

namespace MestresCafe.Api.Tests.Media;

/// <summary>A demo store whose pictures were drawn by its first start, in a media folder of its own.</summary>
public sealed class DemoImagesFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mc-demo-media-" + Guid.NewGuid().ToString("N"));
    public ApiTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Started the way the run command starts the server: Demo:Seed writes the rows at start, and the pictures follow in the background.
        Host = new ApiTestHost().WithoutDemoData().With("Demo:Seed", "true").With("RateLimits:Enabled", "false").With("Media:RootPath", Root);
        await Host.InitializeAsync();
        Assert.True(await Eventually.TrueAsync(
            async () => await ImageUrlsAsync() is { Count: > 0 } urls && urls.All(u => !u.Url.StartsWith("/images/", StringComparison.Ordinal)), within: TimeSpan.FromSeconds(90), every: TimeSpan.FromMilliseconds(250)),
            "The demo pictures were not all drawn and pointed at.");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>Every image URL the demo catalog, posts and courses hold, by row.</summary>
    public async Task<List<(string Row, string Url)>> ImageUrlsAsync()
    {
        await using var connection = await Host.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Row, string Url)>(
            """
            select 'category ' || id, image_url from categories where image_url is not null
            union all select 'brand ' || id, logo_url from brands where logo_url is not null
            union all select 'product image ' || id, image_url from product_images
            union all select 'post ' || id, featured_image from blog_posts where featured_image is not null
            union all select 'course ' || id, featured_image from courses where featured_image is not null
            order by 1
            """);
        return rows.AsList();
    }
}

public sealed class DemoImagesTests(DemoImagesFixture fixture) : IClassFixture<DemoImagesFixture>
{
    [Fact]
    public async Task Every_image_url_of_the_demo_data_answers_a_real_image_stored_through_the_media_pipeline()
    {
        var urls = await fixture.ImageUrlsAsync();
        Assert.Contains(urls, u => u.Row.StartsWith("product image", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Row.StartsWith("brand", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Row.StartsWith("post", StringComparison.Ordinal));
        Assert.Contains(urls, u => u.Row.StartsWith("course", StringComparison.Ordinal));
        Assert.All(urls, u => Assert.StartsWith("/api/media/", u.Url));
        // Each item its own picture (a product's two images too).
        var productImages = urls.Where(u => u.Row.StartsWith("product image", StringComparison.Ordinal)).ToList();
        Assert.Equal(productImages.Count, productImages.Select(u => u.Url).Distinct().Count());

        using var anonymous = fixture.Host.CreateClient();
        foreach (var url in urls.Select(u => u.Url).Distinct())
        {
            using var response = await anonymous.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
            using var image = Image.NewFromBuffer(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((800, 600), (image.Width, image.Height));
        }

        // Recorded like uploads: resized copies and an audit row each.
        Assert.Equal(0L, await fixture.Host.Database.ScalarAsync<long>(
            "select count(*) from media_assets a where original_name like '/images/%' and not exists (select 1 from media_asset_variants v where v.asset_id = a.id and v.width = 320)"));
        Assert.Equal(
            await fixture.Host.Database.ScalarAsync<long>("select count(*) from media_assets"),
            await fixture.Host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'media.upload'"));
    }

    [Fact]
    public async Task Seeding_again_as_a_restart_does_keeps_every_row_on_its_picture_and_draws_nothing_new()
    {
        var before = await fixture.ImageUrlsAsync();
        var assets = await fixture.Host.Database.ScalarAsync<long>("select count(*) from media_assets");

        await fixture.Host.Services.GetRequiredService<DemoSeeder>().SeedAsync();
        await fixture.Host.Services.GetRequiredService<DemoImages>().ApplyAsync();

        Assert.Equal(before, await fixture.ImageUrlsAsync());
        Assert.Equal(assets, await fixture.Host.Database.ScalarAsync<long>("select count(*) from media_assets"));
    }
}
