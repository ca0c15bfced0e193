using System.Net;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Content.BlogSteps;

namespace MestresCafe.Api.Tests.Content;

/// <summary>
/// Two servers (separate processes, one cluster, one Redis) that have both cached the post's absence:
/// the scheduled post appears on each at its time, never before, with the sweep far away.
/// </summary>
[Collection(TwoServersCollection.Name)]
public sealed class ScheduledPostAcrossServersTests(TwoServersFixture servers)
{
    [Fact]
    public async Task A_scheduled_post_appears_at_its_time_on_both_servers()
    {
        var post = await CreatePostAsync(servers.One, "Aula aberta de cupping", "Inscrições abertas.");
        var (id, slug) = (post.GetProperty("id").GetInt64(), post.GetProperty("slug").GetString()!);
        await MoveAsync(servers.One, id, "submit");
        var at = DateTimeOffset.UtcNow.AddSeconds(3);
        using var schedule = await MoveAsync(servers.One, id, "publish", new { publishAt = at });
        Assert.Equal(HttpStatusCode.OK, schedule.StatusCode);

        foreach (var server in new[] { servers.One, servers.Two })
        {
            var sawItEarly = false;
            Assert.True(await Eventually.TrueAsync(async () =>
            {
                using var response = await server.GetAsync($"/api/content/blog/posts/{slug}");
                sawItEarly |= response.StatusCode == HttpStatusCode.OK && DateTimeOffset.UtcNow < at;
                return response.StatusCode == HttpStatusCode.OK;
            }, TimeSpan.FromSeconds(30)), $"the post never appeared on {server.BaseAddress}");
            Assert.False(sawItEarly);
            Assert.Contains(slug, (await server.GetJsonAsync("/api/content/blog/posts?pageSize=50")).Slugs());
        }
    }
}
