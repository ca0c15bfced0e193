using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Tests.Catalog;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Loyalty;

/// <summary>
/// Activities that feed the demo program's achievements: an approved review and a completed course,
/// each counted once however often it is reported.
/// </summary>
public sealed class LoyaltyActivityApiTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private const string Product = "moedor-hario-skerton-pro";
    private const string CourseProduct = "curso-latte-art-basico";

    [Fact]
    public async Task An_approved_review_earns_the_review_achievement_once()
    {
        using var buyer = await host.CreateSignedInClientAsync();
        using var manager = await host.CreateSignedInClientAsync("manager");
        await host.Database.RecordPurchaseAsync(buyer.UserId, Product);
        using var created = await buyer.Http.PostAsJsonAsync($"/api/catalog/products/{Product}/reviews", new { rating = 5, title = "Ótimo" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reviewId = (await created.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Null(await EarnedAtAsync(buyer, "Primeira avaliação"));

        using var approved = await manager.Http.PostAsync($"/api/admin/catalog/reviews/{reviewId}/approve", null);
        using var approvedAgain = await manager.Http.PostAsync($"/api/admin/catalog/reviews/{reviewId}/approve", null);

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, approvedAgain.StatusCode);
        var achievement = await AchievementAsync(buyer, "Primeira avaliação");
        Assert.Equal(1m, achievement.GetProperty("current").GetDecimal());
        Assert.NotEqual(JsonValueKind.Null, achievement.GetProperty("earnedAt").ValueKind);
        Assert.Equal(1L, await host.Database.ScalarAsync<long>(
            "select count(*) from customer_achievements ca join customers c on c.id = ca.customer_id join achievements a on a.id = ca.achievement_id where c.user_id = $1 and a.name = 'Primeira avaliação'",
            buyer.UserId));
    }

    [Fact]
    public async Task A_bought_course_completed_twice_counts_once_and_others_get_403_or_404()
    {
        using var student = await host.CreateSignedInClientAsync();
        using var stranger = await host.CreateSignedInClientAsync();
        await host.Database.RecordPurchaseAsync(student.UserId, CourseProduct);
        var courseId = await host.Database.ScalarAsync<long>(
            "select c.id from courses c join products p on p.id = c.product_id where p.slug = $1", CourseProduct);

        using var first = await student.Http.PostAsync($"/api/content/courses/{courseId}/complete", null);
        using var again = await student.Http.PostAsync($"/api/content/courses/{courseId}/complete", null);
        using var notEnrolled = await stranger.Http.PostAsync($"/api/content/courses/{courseId}/complete", null);
        using var unknown = await student.Http.PostAsync("/api/content/courses/999999/complete", null);
        using var anonymous = await host.CreateClient().PostAsync($"/api/content/courses/{courseId}/complete", null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.JsonAsync()).GetProperty("completedAt").GetDateTimeOffset(), (await again.JsonAsync()).GetProperty("completedAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Forbidden, notEnrolled.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var achievement = await AchievementAsync(student, "Mestre em formação");
        Assert.Equal(1m, achievement.GetProperty("current").GetDecimal());
        Assert.NotEqual(JsonValueKind.Null, achievement.GetProperty("earnedAt").ValueKind);
        Assert.Equal("100:true", await host.Database.ScalarAsync<string>(
            "select progress_percentage || ':' || (completed_at is not null) from course_enrollments where user_id = $1 and course_id = $2", student.UserId, courseId));
        Assert.Equal(0L, await host.Database.ScalarAsync<long>("select count(*) from course_enrollments where user_id = $1", stranger.UserId));
    }

    private static async Task<JsonElement> AchievementAsync(SignedInClient customer, string name) =>
        (await customer.Http.GetFromJsonAsync<JsonElement>("/api/loyalty/achievements"))
        .EnumerateArray().Single(a => a.GetProperty("name").GetString() == name);

    private static async Task<string?> EarnedAtAsync(SignedInClient customer, string name) =>
        (await AchievementAsync(customer, name)).GetProperty("earnedAt").ValueKind == JsonValueKind.Null ? null : "earned";
}
