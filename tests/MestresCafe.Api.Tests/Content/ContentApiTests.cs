using System.Net;
using System.Net.Http.Json;
using System.Text;
using MestresCafe.Api.Content;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using Microsoft.Extensions.DependencyInjection;
using static MestresCafe.Api.Tests.Content.BlogSteps;

namespace MestresCafe.Api.Tests.Content;

public sealed partial class ContentApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task A_post_is_public_only_between_publication_and_unpublication_and_its_html_is_sanitised()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        var reader = host.CreateClient();
        var category = await CreateTermAsync(editor.Http, "categories", "Métodos de preparo");
        var tag = await CreateTermAsync(editor.Http, "tags", "Hario V60");
        var post = await CreatePostAsync(editor.Http, "Coado perfeito",
            "Use água a **92 °C**.<script>alert('x')</script> Veja [a loja](https://mestres.cafe/loja).", [category], [tag]);
        var (id, slug) = (post.GetProperty("id").GetInt64(), post.GetProperty("slug").GetString()!);
        Assert.Equal("draft", post.GetProperty("status").GetString());

        using (var draft = await reader.GetAsync($"/api/content/blog/posts/{slug}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, draft.StatusCode);
        }

        using (var skipReview = await MoveAsync(editor.Http, id, "publish"))
        {
            Assert.Equal(HttpStatusCode.Conflict, skipReview.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(editor.Http, id, "submit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(editor.Http, id, "publish")).StatusCode);

        var live = await reader.GetJsonAsync($"/api/content/blog/posts/{slug}");
        var html = live.GetProperty("contentHtml").GetString()!;
        Assert.Contains("<strong>92 °C</strong>", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", html);
        Assert.Equal("Coado perfeito", live.GetProperty("seo").GetProperty("title").GetString());
        var categorySlug = live.GetProperty("categories")[0].GetProperty("slug").GetString();
        var tagSlug = live.GetProperty("tags")[0].GetProperty("slug").GetString();
        Assert.Equal([slug], (await reader.GetJsonAsync($"/api/content/blog/posts?category={categorySlug}")).Slugs());
        Assert.Equal([slug], (await reader.GetJsonAsync($"/api/content/blog/posts?tag={tagSlug}&pageSize=5")).Slugs());

        var (_, sibling) = await PublishedPostAsync(editor.Http, "Coado para dois", "Dobre a receita.", tagIds: [tag]);
        var (_, unrelated) = await PublishedPostAsync(editor.Http, "Espresso em casa", "Outra conversa.");
        var related = await reader.GetJsonAsync($"/api/content/blog/posts/{slug}/related");
        var relatedSlugs = related.EnumerateArray().Select(p => p.GetProperty("slug").GetString()).ToList();
        Assert.Contains(sibling, relatedSlugs);
        Assert.DoesNotContain(unrelated, relatedSlugs);
        Assert.DoesNotContain(slug, relatedSlugs);

        Assert.Equal(HttpStatusCode.OK, (await MoveAsync(editor.Http, id, "unpublish")).StatusCode);
        using (var gone = await reader.GetAsync($"/api/content/blog/posts/{slug}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        Assert.Empty((await reader.GetJsonAsync($"/api/content/blog/posts?category={categorySlug}")).Slugs());
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'blog_post.publish' and record_id = $1 and new_values ->> 'status' = 'published'", id));
    }

    [Fact]
    public async Task Search_ignores_accents_and_ranks_title_matches_first()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        var word = "zq" + Guid.NewGuid().ToString("N")[..6];
        var (_, inBody) = await PublishedPostAsync(editor.Http, $"Guia de moagem {word}",
            string.Join(" ", Enumerable.Repeat("O café moído na hora muda o café da manhã.", 8)));
        var (_, inTitle) = await PublishedPostAsync(editor.Http, $"Café especial {word}", "Notas de chocolate.");
        var (_, neither) = await PublishedPostAsync(editor.Http, $"Chá gelado {word}", "Sem grãos.");

        var found = await host.CreateClient().GetJsonAsync($"/api/content/blog/search?q=cafe+{word}");

        Assert.Equal([inTitle, inBody], found.Slugs());
        Assert.DoesNotContain(neither, found.Slugs());
        using var tooShort = await host.CreateClient().GetAsync("/api/content/blog/search?q=c");
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
    }

    [Fact]
    public async Task A_scheduled_post_goes_live_at_its_time_and_the_sweep_records_it_once()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        var reader = host.CreateClient();
        var post = await CreatePostAsync(editor.Http, "Lançamento do microlote", "Chega hoje.");
        var (id, slug) = (post.GetProperty("id").GetInt64(), post.GetProperty("slug").GetString()!);
        await MoveAsync(editor.Http, id, "submit");
        var at = DateTimeOffset.UtcNow.AddSeconds(2);

        using var schedule = await MoveAsync(editor.Http, id, "publish", new { publishAt = at });
        Assert.Equal("scheduled", (await schedule.JsonAsync()).GetProperty("status").GetString());

        // Every answer before its time is a 404 (cached, too); one comes after it, without the sweep.
        var sawItEarly = false;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            using var response = await reader.GetAsync($"/api/content/blog/posts/{slug}");
            sawItEarly |= response.StatusCode == HttpStatusCode.OK && DateTimeOffset.UtcNow < at;
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(20)), "the scheduled post never appeared");
        Assert.False(sawItEarly);

        // Every server's sweep records it (this one's may have run already): once, with its audit row.
        await host.Services.GetRequiredService<ScheduledPostPublisher>().RunOnceAsync(CancellationToken.None);

        Assert.Equal("published", await host.Database.ScalarAsync<string>("select status from blog_posts where id = $1", id));
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'blog_post.go_live' and record_id = $1", id));
    }

    [Fact]
    public async Task Views_are_counted_in_memory_and_added_up_by_the_flush()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        var (id, slug) = await PublishedPostAsync(editor.Http, "Contando leituras", "Texto.");
        var reader = host.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            _ = await reader.GetJsonAsync($"/api/content/blog/posts/{slug}");
        }

        // The server's own flush may run in between: the views add up to three either way.
        await host.Services.GetRequiredService<BlogViewCounter>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(3, await host.Database.ScalarAsync<int>("select view_count from blog_posts where id = $1", id));
    }

    [Fact]
    public async Task The_feed_and_the_sitemap_list_live_posts_and_the_sitemap_the_catalog()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        var (_, slug) = await PublishedPostAsync(editor.Http, "Feed e mapa", "Texto.");
        var draft = (await CreatePostAsync(editor.Http, "Ainda rascunho", "Texto.")).GetProperty("slug").GetString()!;
        var reader = host.CreateClient();

        using var feed = await reader.GetAsync("/api/content/blog/feed.xml");
        var feedXml = System.Xml.Linq.XDocument.Parse(await feed.Content.ReadAsStringAsync());
        using var sitemap = await reader.GetAsync("/sitemap.xml");
        var sitemapXml = await sitemap.Content.ReadAsStringAsync();

        Assert.Equal("application/rss+xml", feed.Content.Headers.ContentType?.MediaType);
        Assert.Contains(feedXml.Descendants("link"), l => l.Value.EndsWith("/blog/" + slug, StringComparison.Ordinal));
        Assert.DoesNotContain(draft, feedXml.ToString());
        Assert.Equal("application/xml", sitemap.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/blog/" + slug + "</loc>", sitemapXml);
        Assert.Contains("/produtos/moedor-hario-skerton-pro</loc>", sitemapXml);
        Assert.DoesNotContain(draft, sitemapXml);
    }

    [Theory]
    [InlineData("""{"content": "sem título"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"title": "  ", "content": "x"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"title": "Slug ruim", "slug": "Não Slug", "content": "x"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"title": "Imagem ruim", "featuredImage": "javascript:alert(1)", "content": "x"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"title": "Categoria inexistente", "content": "x", "categoryIds": [987654321]}""", HttpStatusCode.UnprocessableEntity)]
    public async Task Bad_posts_are_refused_and_write_nothing(string body, HttpStatusCode expected)
    {
        using var editor = await host.CreateSignedInClientAsync("manager");

        using var response = await editor.Http.PostAsync($"{AdminRoot}/posts", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from blog_posts where author_id = $1", editor.UserId));
    }

    [Fact]
    public async Task Customers_cannot_write_posts()
    {
        using var customer = await host.CreateSignedInClientAsync("customer");

        using var response = await customer.Http.PostAsJsonAsync($"{AdminRoot}/posts", new { title = "Meu post", content = "x" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
