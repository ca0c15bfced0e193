using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Content;

/// <summary>The coffee school's back office: courses, modules and lessons, publish and unpublish, with audit rows and validation.</summary>
public sealed class CourseAdminApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Admin = "/api/admin/content";

    [Fact]
    public async Task An_editor_builds_a_course_publishes_it_for_the_storefront_and_takes_it_back()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        var title = "Barista em casa " + Guid.NewGuid().ToString("N")[..6];

        var course = await CreatedAsync(editor.Http, "/courses", new { title, description = "Do grão à xícara.", price = 0, difficultyLevel = "beginner" });
        Assert.Equal(("draft", editor.UserId), (course.GetProperty("status").GetString(), course.GetProperty("instructorId").GetInt64()));
        var slug = course.GetProperty("slug").GetString()!;
        Assert.StartsWith("barista-em-casa-", slug, StringComparison.Ordinal);
        var courseId = course.GetProperty("id").GetInt64();
        var module = await CreatedAsync(editor.Http, "/course-modules", new { courseId, title = "Moagem", sortOrder = 1 });
        var lesson = await CreatedAsync(editor.Http, "/course-lessons", new
        {
            moduleId = module.GetProperty("id").GetInt64(), title = "Tamanho da moagem", content = "# Moagem\nFina para espresso.",
            videoUrl = "https://videos.mestres.cafe/moagem.mp4", durationMinutes = 12, isFree = true,
            materials = new[] { new { name = "Tabela de moagem", url = "/api/media/tabela.pdf" } },
        });
        using (var renamed = await editor.Http.PatchAsJsonAsync($"{Admin}/course-lessons/{lesson.GetProperty("id").GetInt64()}", new { durationMinutes = 15 }))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        var outline = await editor.Http.GetFromJsonAsync<JsonElement>($"{Admin}/courses/{courseId}");
        var lessonInOutline = Assert.Single(Assert.Single(outline.GetProperty("modules").EnumerateArray()).GetProperty("lessons").EnumerateArray());
        Assert.Equal(15, lessonInOutline.GetProperty("durationMinutes").GetInt32());

        using var anonymous = host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/content/courses/{slug}")).StatusCode);
        using (var published = await editor.Http.PostAsync($"{Admin}/courses/{courseId}/publish", null))
        {
            Assert.Equal("published", (await published.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/content/courses/{slug}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await editor.Http.PostAsync($"{Admin}/courses/{courseId}/unpublish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/content/courses/{slug}")).StatusCode);

        Assert.Equal(
            ["course.create", "course.publish", "course.unpublish", "course_lesson.create", "course_lesson.update", "course_module.create"],
            (await AuditActionsAsync(editor.UserId)).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task A_course_nobody_can_take_or_buy_is_not_published_and_bad_input_writes_nothing()
    {
        using var editor = await host.CreateSignedInClientAsync("manager");
        using var customer = await host.CreateSignedInClientAsync("customer");
        var empty = await CreatedAsync(editor.Http, "/courses", new { title = "Sem aulas " + Guid.NewGuid().ToString("N")[..6] });
        var paid = await CreatedAsync(editor.Http, "/courses", new { title = "Prova de xícara " + Guid.NewGuid().ToString("N")[..6], price = 450.00m });
        var paidModule = await CreatedAsync(editor.Http, "/course-modules", new { courseId = paid.GetProperty("id").GetInt64(), title = "Aromas" });
        var lessonBody = new { moduleId = paidModule.GetProperty("id").GetInt64(), title = "A roda de sabores" };
        await CreatedAsync(editor.Http, "/course-lessons", lessonBody);

        foreach (var course in new[] { empty, paid })
        {
            using var refused = await editor.Http.PostAsync($"{Admin}/courses/{course.GetProperty("id").GetInt64()}/publish", null);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        var writesBefore = await AuditActionsAsync(editor.UserId);
        var bad = new (string Route, object Body, HttpStatusCode Status)[]
        {
            ("/courses", new { description = "sem título" }, HttpStatusCode.BadRequest),
            ("/courses", new { title = "Ok", slug = "Não É Slug" }, HttpStatusCode.BadRequest),
            ("/courses", new { title = "Ok", difficultyLevel = "expert" }, HttpStatusCode.BadRequest),
            ("/courses", new { title = "Ok", price = -1 }, HttpStatusCode.BadRequest),
            ("/course-modules", new { courseId = long.MaxValue, title = "Órfão" }, HttpStatusCode.UnprocessableEntity),
            ("/course-lessons", new { moduleId = paidModule.GetProperty("id").GetInt64() }, HttpStatusCode.BadRequest),
            ("/course-lessons", lessonBody, HttpStatusCode.Conflict),
            ("/course-lessons", new { moduleId = paidModule.GetProperty("id").GetInt64(), title = "Vídeo", videoUrl = "javascript:alert(1)" }, HttpStatusCode.BadRequest),
        };
        foreach (var (route, body, status) in bad)
        {
            using var response = await editor.Http.PostAsJsonAsync(Admin + route, body);
            Assert.Equal(status, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.PostAsJsonAsync($"{Admin}/courses", new { title = "Intruso" })).StatusCode);
        Assert.Equal(writesBefore.Count, (await AuditActionsAsync(editor.UserId)).Count);
        Assert.Equal("draft", await host.Database.ScalarAsync<string>("select status from courses where id = $1", paid.GetProperty("id").GetInt64()));
    }

    private static async Task<JsonElement> CreatedAsync(HttpClient http, string route, object body)
    {
        using var response = await http.PostAsJsonAsync(Admin + route, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<List<string>> AuditActionsAsync(long userId)
    {
        await using var connection = await host.Database.DataSource.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand("select action from audit_logs where user_id = $1 and action like 'course%'", connection);
        command.Parameters.AddWithValue(userId);
        var actions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            actions.Add(reader.GetString(0));
        }

        return actions;
    }
}
