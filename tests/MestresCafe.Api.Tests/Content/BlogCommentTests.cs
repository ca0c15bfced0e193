using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Catalog;
using static MestresCafe.Api.Tests.Content.BlogSteps;

namespace MestresCafe.Api.Tests.Content;

// Part of ContentApiTests: one server for the blog, comments and courses.
public sealed partial class ContentApiTests
{
    [Fact]
    public async Task Comments_wait_for_moderation_thread_one_level_and_lose_their_links_when_the_account_is_new()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        using var newcomer = await host.CreateSignedInClientAsync("customer");
        using var regular = await host.CreateSignedInClientAsync("customer");
        await host.Database.ScalarAsync<int>("update users set created_at = now() - interval '30 days' where id = $1 returning 1", regular.UserId);
        var (_, slug) = await PublishedPostAsync(editor.Http, "Comente aqui", "Texto.");
        var comments = $"/api/content/blog/posts/{slug}/comments";
        var reader = host.CreateClient();

        var first = await CommentAsync(newcomer.Http, comments, new { content = "Ótimo! Veja [meu site](https://spam.example) e http://spam.example/x também." });
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Equal("Ótimo! Veja meu site e também.", first.GetProperty("content").GetString());
        var firstId = first.GetProperty("id").GetInt64();
        Assert.Empty((await reader.GetJsonAsync(comments)).EnumerateArray());

        using (var early = await regular.Http.PostAsJsonAsync(comments, new { content = "Concordo.", parentId = firstId }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode); // not published yet
        }

        Assert.Equal(HttpStatusCode.OK, (await editor.Http.PostAsync($"/api/admin/content/comments/{firstId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await editor.Http.PostAsync($"/api/admin/content/comments/{firstId}/reject", null)).StatusCode);
        var reply = await CommentAsync(regular.Http, comments, new { content = "Veja [a receita](https://mestres.cafe/receita).", parentId = firstId });
        var replyId = reply.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await editor.Http.PostAsync($"/api/admin/content/comments/{replyId}/approve", null)).StatusCode);
        using (var deeper = await newcomer.Http.PostAsJsonAsync(comments, new { content = "E eu?", parentId = replyId }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, deeper.StatusCode);
        }

        var threads = await reader.GetJsonAsync(comments);
        var thread = Assert.Single(threads.EnumerateArray());
        Assert.Equal(firstId, thread.GetProperty("id").GetInt64());
        Assert.DoesNotContain("<a", thread.GetProperty("contentHtml").GetString());
        var answer = Assert.Single(thread.GetProperty("replies").EnumerateArray());
        Assert.Contains("href=\"https://mestres.cafe/receita\"", answer.GetProperty("contentHtml").GetString());
        Assert.Contains("rel=\"nofollow noopener noreferrer\"", answer.GetProperty("contentHtml").GetString());
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'blog_comment.approved' and record_id = $1", firstId));
    }

    [Fact]
    public async Task Comments_need_a_signed_in_user_and_a_live_post_and_are_rate_limited()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        using var customer = await host.CreateSignedInClientAsync("customer");
        var (_, slug) = await PublishedPostAsync(editor.Http, "Muitos comentários", "Texto.");
        var draft = (await CreatePostAsync(editor.Http, "Rascunho", "Texto.")).GetProperty("slug").GetString();
        var comments = $"/api/content/blog/posts/{slug}/comments";

        using (var anonymous = await host.CreateClient().PostAsJsonAsync(comments, new { content = "Oi" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var onDraft = await customer.Http.PostAsJsonAsync($"/api/content/blog/posts/{draft}/comments", new { content = "Oi" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, onDraft.StatusCode);
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await customer.Http.PostAsJsonAsync(comments, new { content = $"Comentário {i}" });
            statuses.Add(response.StatusCode);
        }

        // Five per user in ten minutes, and the one on the draft counted too.
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(4, await host.Database.ScalarAsync<long>("select count(*) from blog_comments where user_id = $1", customer.UserId));
    }

    private static async Task<JsonElement> CommentAsync(HttpClient http, string url, object body)
    {
        using var response = await http.PostAsJsonAsync(url, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }
}
