using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Catalog;

namespace MestresCafe.Api.Tests.Content;

/// <summary>An editor's moves on the blog's back office, asserting each succeeded.</summary>
internal static class BlogSteps
{
    public const string AdminRoot = "/api/admin/content/blog";

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<long> CreateTermAsync(HttpClient editor, string kind, string name)
    {
        using var response = await editor.PostAsJsonAsync($"{AdminRoot}/{kind}", new { name, slug = Unique("t") });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> CreatePostAsync(HttpClient editor, string title, string content, long[]? categoryIds = null, long[]? tagIds = null)
    {
        using var response = await editor.PostAsJsonAsync($"{AdminRoot}/posts", new
        {
            title, slug = Unique("post"), excerpt = "Resumo de " + title, content, seoTitle = title, categoryIds, tagIds,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    public static async Task<HttpResponseMessage> MoveAsync(HttpClient editor, long id, string move, object? body = null) =>
        await editor.PostAsJsonAsync($"{AdminRoot}/posts/{id}/{move}", body ?? new { });

    /// <summary>A new post taken through review and published now; returns its slug.</summary>
    public static async Task<(long Id, string Slug)> PublishedPostAsync(HttpClient editor, string title, string content, long[]? categoryIds = null, long[]? tagIds = null)
    {
        var post = await CreatePostAsync(editor, title, content, categoryIds, tagIds);
        var id = post.GetProperty("id").GetInt64();
        using (var submit = await MoveAsync(editor, id, "submit"))
        {
            Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        }

        using (var publish = await MoveAsync(editor, id, "publish"))
        {
            Assert.Equal(HttpStatusCode.OK, publish.StatusCode);
        }

        return (id, post.GetProperty("slug").GetString()!);
    }
}
