using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Payments;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Content;

// Part of ContentApiTests: one server for the blog, comments and courses.
public sealed partial class ContentApiTests
{
    [Fact]
    public async Task A_learner_enrols_for_free_progresses_completes_once_and_gets_a_verifiable_certificate()
    {
        var course = await InsertCourseAsync(price: 0, productId: null);
        using var learner = await host.CreateSignedInClientAsync("customer");
        var anonymous = host.CreateClient();
        var outline = await anonymous.GetJsonAsync($"/api/content/courses/{course.Slug}");
        Assert.True(outline.GetProperty("course").GetProperty("isFree").GetBoolean());
        Assert.Equal(3, outline.GetProperty("modules")[0].GetProperty("lessons").GetArrayLength());
        using (var closed = await anonymous.GetAsync($"/api/content/courses/{course.Slug}/lessons/{course.Lessons[1]}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        }

        var preview = await anonymous.GetJsonAsync($"/api/content/courses/{course.Slug}/lessons/{course.Lessons[0]}");
        Assert.Contains("<strong>", preview.GetProperty("contentHtml").GetString());

        using (var enrolled = await learner.Http.PostAsync($"/api/content/courses/{course.Slug}/enroll", null))
        {
            Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        }

        using (var again = await learner.Http.PostAsync($"/api/content/courses/{course.Slug}/enroll", null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        Assert.Equal(50, (await ProgressAsync(learner, course, 0, 1200, completed: true)).GetProperty("progressPercentage").GetInt32());
        Assert.Equal(50, (await ProgressAsync(learner, course, 1, 300, completed: false)).GetProperty("progressPercentage").GetInt32());
        var lesson = await learner.Http.GetJsonAsync($"/api/content/courses/{course.Slug}/lessons/{course.Lessons[1]}");
        Assert.Equal(300, lesson.GetProperty("lastPositionSeconds").GetInt32());

        // Both required lessons reported as finished at once: the course completes once.
        var finals = await Task.WhenAll(ProgressAsync(learner, course, 1, 1800, completed: true), ProgressAsync(learner, course, 1, 1800, completed: true));
        Assert.Equal(1, finals.Count(f => f.GetProperty("completedNow").GetBoolean()));
        Assert.All(finals, f => Assert.Equal(100, f.GetProperty("progressPercentage").GetInt32()));
        var code = finals.Single(f => f.GetProperty("completedNow").GetBoolean()).GetProperty("certificateCode").GetString()!;
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from course_certificates cc join course_enrollments e on e.id = cc.enrollment_id where e.user_id = $1", learner.UserId));

        await AssertCertificateAsync(learner, course, code);

        var mine = Assert.Single((await learner.Http.GetJsonAsync("/api/me/courses")).EnumerateArray());
        Assert.Equal(code, mine.GetProperty("certificateCode").GetString());
        var achievement = (await learner.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/achievements"))
            .EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Mestre em formação");
        Assert.Equal(1m, achievement.GetProperty("current").GetDecimal());

        using var editor = await host.CreateSignedInClientAsync("manager");
        var stats = await editor.Http.GetJsonAsync($"/api/admin/content/courses/{course.Id}/stats");
        Assert.Equal((1, 1, 1m), (stats.GetProperty("activeEnrollments").GetInt32(), stats.GetProperty("completed").GetInt32(), stats.GetProperty("completionRate").GetDecimal()));
        Assert.Equal([1, 1, 0], stats.GetProperty("lessons").EnumerateArray().Select(l => l.GetProperty("completed").GetInt32()).ToArray());
    }

    [Fact]
    public async Task Deleting_a_lesson_deletes_the_learners_progress_on_it_and_their_next_step_counts_without_it()
    {
        var course = await InsertCourseAsync(price: 0, productId: null);
        using var learner = await host.CreateSignedInClientAsync("customer");
        using (var enrolled = await learner.Http.PostAsync($"/api/content/courses/{course.Slug}/enroll", null))
        {
            Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        }

        await ProgressAsync(learner, course, 0, 600, completed: true);
        await ProgressAsync(learner, course, 1, 120, completed: false);
        const string ProgressOn = "select count(*) from lesson_progress where lesson_id = $1";
        Assert.Equal(1, await host.Database.ScalarAsync<long>(ProgressOn, course.Lessons[1]));

        using var editor = await host.CreateSignedInClientAsync("manager");
        using (var deleted = await editor.Http.DeleteAsync($"/api/admin/content/course-lessons/{course.Lessons[1]}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(0, await host.Database.ScalarAsync<long>(ProgressOn, course.Lessons[1]));
        Assert.Equal(1, await host.Database.ScalarAsync<long>(ProgressOn, course.Lessons[0]));
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'course_lesson.delete' and record_id = $1 and user_id = $2", course.Lessons[1], editor.UserId));
        using (var gone = await learner.Http.GetAsync($"/api/content/courses/{course.Slug}/lessons/{course.Lessons[1]}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        // The stored percentage is not rewritten by the deletion; the learner's next step is
        // counted against the lessons that remain, and the only required one left is done.
        var next = await ProgressAsync(learner, course, 2, 60, completed: false);
        Assert.Equal((100, true), (next.GetProperty("progressPercentage").GetInt32(), next.GetProperty("completedNow").GetBoolean()));
    }

    [Fact]
    public async Task Staff_see_where_learners_stop()
    {
        var course = await InsertCourseAsync(price: 0, productId: null);
        using var stopsEarly = await host.CreateSignedInClientAsync("customer");
        using var stopsLater = await host.CreateSignedInClientAsync("customer");
        using var idle = await host.CreateSignedInClientAsync("customer");
        foreach (var learner in new[] { stopsEarly, stopsLater, idle })
        {
            using var enrolled = await learner.Http.PostAsync($"/api/content/courses/{course.Slug}/enroll", null);
            Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        }

        await ProgressAsync(stopsEarly, course, 0, 60, completed: false);
        await ProgressAsync(stopsLater, course, 0, 1200, completed: true);
        await ProgressAsync(stopsLater, course, 1, 100, completed: false);
        using var editor = await host.CreateSignedInClientAsync("manager");

        var stats = await editor.Http.GetJsonAsync($"/api/admin/content/courses/{course.Id}/stats");

        Assert.Equal((3, 0), (stats.GetProperty("activeEnrollments").GetInt32(), stats.GetProperty("completed").GetInt32()));
        var lessons = stats.GetProperty("lessons").EnumerateArray().ToList();
        Assert.Equal([2, 1, 0], lessons.Select(l => l.GetProperty("started").GetInt32()).ToArray());
        Assert.Equal([1, 1, 0], lessons.Select(l => l.GetProperty("stoppedHere").GetInt32()).ToArray());
    }

    [Fact]
    public async Task A_paid_course_enrols_its_buyer_once_under_a_duplicated_webhook_and_a_refund_removes_access()
    {
        var sku = "CURSO-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var productId = await host.Database.InsertItemAsync(sku, 10, 180m);
        var course = await InsertCourseAsync(price: 180m, productId);
        using var buyer = await host.CreateSignedInClientAsync("customer");
        using (var free = await buyer.Http.PostAsync($"/api/content/courses/{course.Slug}/enroll", null))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, free.StatusCode);
        }

        using var added = await buyer.Http.PostAsJsonAsync("/api/cart/items", new { sku, quantity = 1 });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = new { recipientName = "Ana Souza", street = "Avenida Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP", postalCode = "01310-100" },
                paymentMethod = "credit_card", cardToken = "tok_visa", shippingMethod = "pac",
            }),
        };
        checkout.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var placed = await buyer.Http.SendAsync(checkout);
        Assert.True(placed.IsSuccessStatusCode, await placed.Content.ReadAsStringAsync());
        var order = await placed.JsonAsync();

        var webhook = CaptureWebhook(order);
        // The gateway delivers the capture, then retries it twice.
        for (var delivery = 0; delivery < 3; delivery++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendWebhookAsync(webhook));
        }

        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from course_enrollments where user_id = $1 and course_id = $2 and is_active", buyer.UserId, course.Id) == 1), "the paid order never enrolled its buyer");
        Assert.Equal(HttpStatusCode.OK, (await ProgressResponseAsync(buyer, course, 1, 60, completed: false)).StatusCode);
        Assert.Equal(1, await host.Database.ScalarAsync<long>("select count(*) from course_enrollments where user_id = $1", buyer.UserId));

        using var manager = await host.CreateSignedInClientAsync("manager");
        var orderNumber = order.GetProperty("orderNumber").GetString();
        var total = order.GetProperty("totals").GetProperty("total").GetDecimal();
        using var refund = await manager.Http.PostAsJsonAsync($"/api/admin/orders/{orderNumber}/refund", new { amount = total, reason = "customer_request" });
        Assert.True(refund.IsSuccessStatusCode, await refund.Content.ReadAsStringAsync());

        Assert.True(await Eventually.TrueAsync(async () => await host.Database.ScalarAsync<long>(
            "select count(*) from course_enrollments where user_id = $1 and course_id = $2 and not is_active and access_revoked_at is not null", buyer.UserId, course.Id) == 1), "the refund never removed access");
        using var closed = await buyer.Http.GetAsync($"/api/content/courses/{course.Slug}/lessons/{course.Lessons[1]}");
        Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ProgressResponseAsync(buyer, course, 1, 90, completed: false)).StatusCode);
        Assert.Empty((await buyer.Http.GetJsonAsync("/api/me/courses")).EnumerateArray());
    }

    private async Task AssertCertificateAsync(SignedInClient learner, TestCourse course, string code)
    {
        using var pdf = await learner.Http.GetAsync($"/api/me/courses/{course.Slug}/certificate");
        Assert.True(pdf.StatusCode == HttpStatusCode.OK, await pdf.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        using (var document = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            var words = document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
            Assert.Contains(code, words);
            Assert.Contains(course.Slug, words);
            Assert.Contains("Teste", words);
            Assert.Contains($"http://127.0.0.1:5080/api/content/certificates/{code}", words);
        }

        var anyone = host.CreateClient();
        var check = await anyone.GetJsonAsync($"/api/content/certificates/{code.ToLowerInvariant()}");
        Assert.Equal(("Teste customer", "Curso " + course.Slug), (check.GetProperty("studentName").GetString(), check.GetProperty("courseTitle").GetString()));
        foreach (var wrong in new[] { "AAAA-AAAA-AAAA", "nada", code.Replace('-', '_') })
        {
            using var response = await anyone.GetAsync($"/api/content/certificates/{wrong}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var stranger = await host.CreateSignedInClientAsync("customer");
        using var notTheirs = await stranger.Http.GetAsync($"/api/me/courses/{course.Slug}/certificate");
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
    }

    private sealed record TestCourse(long Id, string Slug, long[] Lessons);

    /// <summary>A published course of one module: a required preview lesson, a required lesson and an optional one.</summary>
    private async Task<TestCourse> InsertCourseAsync(decimal price, long? productId)
    {
        var slug = "curso-teste-" + Guid.NewGuid().ToString("N")[..8];
        var id = await host.Database.ScalarAsync<long>(
            "insert into courses (title, slug, price, status, product_id) values ($1, $2, $3, 'published', $4) returning id", "Curso " + slug, slug, price, (object?)productId ?? DBNull.Value);
        var module = await host.Database.ScalarAsync<long>("insert into course_modules (course_id, title, sort_order) values ($1, 'Módulo 1', 1) returning id", id);
        var lessons = new List<long>();
        foreach (var (title, order, free, required) in new[] { ("Boas-vindas", 1, true, true), ("Moagem", 2, false, true), ("Extra", 3, false, false) })
        {
            lessons.Add(await host.Database.ScalarAsync<long>(
                "insert into course_lessons (module_id, title, content, duration_minutes, sort_order, is_free, is_required) values ($1, $2, $3, 30, $4, $5, $6) returning id",
                module, title, $"Aula **{title}**", order, free, required));
        }

        return new TestCourse(id, slug, lessons.ToArray());
    }

    private static async Task<JsonElement> ProgressAsync(SignedInClient learner, TestCourse course, int lesson, int position, bool completed)
    {
        using var response = await ProgressResponseAsync(learner, course, lesson, position, completed);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> ProgressResponseAsync(SignedInClient learner, TestCourse course, int lesson, int position, bool completed) =>
        learner.Http.PutAsJsonAsync($"/api/content/courses/{course.Slug}/lessons/{course.Lessons[lesson]}/progress", new { positionSeconds = position, completed });

    private static string CaptureWebhook(JsonElement order)
    {
        var payment = order.GetProperty("payment");
        return JsonSerializer.Serialize(new GatewayWebhook("evt_" + Guid.NewGuid().ToString("N"), "payment.captured", DateTimeOffset.UtcNow,
            new GatewayWebhookData(payment.GetProperty("transactionId").GetString()!, order.GetProperty("orderNumber").GetString()!,
                payment.GetProperty("amount").GetDecimal())), JsonSerializerOptions.Web);
    }

    private async Task<HttpStatusCode> SendWebhookAsync(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/simulated") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(TestEnvironment.WebhookSecret, DateTimeOffset.UtcNow, body));
        using var client = host.CreateClient();
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
