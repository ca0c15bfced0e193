using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Admin;
using MestresCafe.Api.Catalog;
using MestresCafe.Api.Catalog.Admin;
using SlugAttribute = MestresCafe.Api.Catalog.Admin.SlugAttribute;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;
using MestresCafe.Data.Content;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Validation;
using NpgsqlTypes;
using static MestresCafe.Api.Admin.WriteOutcome;

namespace MestresCafe.Api.Content;

#pragma warning disable ASP0029 // ValidatableType is marked experimental in .NET 10.

/// <summary>A course's fields: POST requires the title (the slug defaults to it); PATCH changes only the fields present. Status moves by publish/unpublish.</summary>
[ValidatableType]
public sealed record CourseInput(
    [RequiredOnCreate, NotBlank, TrimmedLength(255)] string? Title,
    [Slug(255)] string? Slug,
    [TrimmedLength(20_000)] string? Description,
    [ImageUrl] string? FeaturedImage,
    [Range(typeof(decimal), "0", "100000", ErrorMessage = "From 0 to 100000.")] decimal? Price,
    [OneOf("beginner", "intermediate", "advanced", Optional = true)] string? DifficultyLevel,
    [Range(0, 10_000, ErrorMessage = "From {1} to {2}.")] int? DurationHours,
    [Range(1, long.MaxValue, ErrorMessage = "A product id.")] long? ProductId)
{
    internal ColumnBuilder ToColumns(bool create) => new ColumnBuilder()
        .Text("title", Title)
        .Text("slug", Slug ?? (create ? CatalogValidation.Slugify(Title!) : null))
        .Text("description", Description)
        .Text("featured_image", FeaturedImage)
        .Numeric("price", Price is { } price ? decimal.Round(price, 2) : null)
        .Text("difficulty_level", DifficultyLevel)
        .Integer("duration_hours", DurationHours)
        .Reference("product_id", ProductId);
}

/// <summary>A module: POST requires its course and title; the course never changes afterwards.</summary>
[ValidatableType]
public sealed record CourseModuleInput(
    [RequiredOnCreate, Range(1, long.MaxValue, ErrorMessage = "A course id.")] long? CourseId,
    [RequiredOnCreate, NotBlank, TrimmedLength(255)] string? Title,
    [TrimmedLength(5000)] string? Description,
    [Range(0, 10_000, ErrorMessage = "From {1} to {2}.")] int? SortOrder,
    bool? IsActive)
{
    internal ColumnBuilder ToColumns(bool create) => new ColumnBuilder()
        .Reference("course_id", create ? CourseId : null)
        .Text("title", Title)
        .Text("description", Description)
        .Integer("sort_order", SortOrder)
        .Flag("is_active", IsActive);
}

/// <summary>A lesson: POST requires its module and title; the content is Markdown (rendered and sanitized on output).</summary>
[ValidatableType]
public sealed record CourseLessonInput(
    [RequiredOnCreate, Range(1, long.MaxValue, ErrorMessage = "A module id.")] long? ModuleId,
    [RequiredOnCreate, NotBlank, TrimmedLength(255)] string? Title,
    [StringLength(60_000, ErrorMessage = "At most {1} characters.")] string? Content,
    [ImageUrl] string? VideoUrl,
    [Range(0, 10_000, ErrorMessage = "From {1} to {2}.")] int? DurationMinutes,
    [Range(0, 10_000, ErrorMessage = "From {1} to {2}.")] int? SortOrder,
    bool? IsFree,
    bool? IsRequired,
    [JsonShape(JsonValueKind.Array, 8000)] JsonElement? Materials)
{
    internal ColumnBuilder ToColumns(bool create) => new ColumnBuilder()
        .Reference("module_id", create ? ModuleId : null)
        .Text("title", Title)
        .Text("content", Content)
        .Text("video_url", VideoUrl)
        .Integer("duration_minutes", DurationMinutes)
        .Integer("sort_order", SortOrder)
        .Flag("is_free", IsFree)
        .Flag("is_required", IsRequired)
        .Json("materials", Materials);
}

#pragma warning restore ASP0029

public sealed record CourseAdminView(
    long Id, string Title, string Slug, string? Description, string? FeaturedImage, decimal Price, string DifficultyLevel, int? DurationHours,
    string Status, long? InstructorId, long? ProductId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The outline, in a single course's answers.</summary>
    public IReadOnlyList<CourseModuleAdminView>? Modules { get; init; }
}

public sealed record CourseModuleAdminView(long Id, long CourseId, string Title, string? Description, int SortOrder, bool IsActive)
{
    public IReadOnlyList<CourseLessonAdminView>? Lessons { get; init; }
}

public sealed record CourseLessonAdminView(
    long Id, long ModuleId, string Title, string? Content, string? VideoUrl, int? DurationMinutes, int SortOrder, bool IsFree, bool IsRequired,
    JsonElement Materials);

/// <summary>
/// /api/admin/content/courses, course-modules and course-lessons (content:write): the coffee
/// school's courses, their modules and lessons, created and edited in draft or live, and a course
/// published or taken back to draft. Every write and its audit row commit together and then drop
/// the content cache on every server (<see cref="ContentWriter"/>). A course with enrolments
/// cannot be deleted (409); a module is deactivated, not deleted.
/// </summary>
public static class CourseAdminApi
{
    private const string Base = "/api/admin/content/";

    private static readonly AdminEntity<CourseInput, CourseAdminView, CourseAdminStore> Courses = new(
        "Course", "courses", "course", "/courses", Base + "courses/", (body, create) => body.ToColumns(create), Removal.Delete,
        "Create a course in draft (title; slug from the title unless given; price 0 for a free course).",
        "Change the given fields of a course, in draft or live.",
        "Delete a course nobody enrolled in (409 otherwise; unpublish it instead).")
    {
        OnCreate = (columns, http) => columns.Add("instructor_id", http.User.GetUserId(), NpgsqlDbType.Bigint),
    };

    private static readonly AdminEntity<CourseModuleInput, CourseModuleAdminView, CourseAdminStore> Modules = new(
        "CourseModule", "course_modules", "course_module", "/course-modules", Base + "course-modules/", (body, create) => body.ToColumns(create),
        Removal.DeactivateShowingRow,
        "Add a module to a course (title unique within the course).",
        "Change the given fields of a module.",
        "Deactivate a module: hidden from learners, kept with its lessons and their progress.");

    private static readonly AdminEntity<CourseLessonInput, CourseLessonAdminView, CourseAdminStore> Lessons = new(
        "CourseLesson", "course_lessons", "course_lesson", "/course-lessons", Base + "course-lessons/", (body, create) => body.ToColumns(create),
        Removal.Delete,
        "Add a lesson to a module (title unique within the module; Markdown content, video URL, materials as a JSON array).",
        "Change the given fields of a lesson.",
        "Delete a lesson (with the learners' progress on it).");

    public static RouteGroupBuilder MapCourseAdminApi(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/content").WithTags("Content back office").RequirePermission("content:write")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapGet("/courses", ListAsync).WithName("ListCoursesForEditors").WithSummary("Courses in any state (or one status), last changed first.");
        admin.MapGet("/courses/{id:long}", GetAsync).WithName("GetCourseForEditors").WithSummary("One course with all its modules and lessons, in order.");
        admin.MapAdminCrud<CourseInput, CourseAdminView, CourseAdminStore, ContentWriter>(Courses);
        admin.MapAdminCrud<CourseModuleInput, CourseModuleAdminView, CourseAdminStore, ContentWriter>(Modules);
        admin.MapAdminCrud<CourseLessonInput, CourseLessonAdminView, CourseAdminStore, ContentWriter>(Lessons);
        admin.MapPost("/courses/{id:long}/publish", (long id, HttpContext http, ContentWriter writer, CourseAdminStore store) => SetPublishedAsync(id, true, http, writer, store))
            .WithName("PublishCourse")
            .WithSummary("Publishes the course (422 when it has no active module with a lesson, or is paid without a catalog product).");
        admin.MapPost("/courses/{id:long}/unpublish", (long id, HttpContext http, ContentWriter writer, CourseAdminStore store) => SetPublishedAsync(id, false, http, writer, store))
            .WithName("UnpublishCourse")
            .WithSummary("Takes the course back to draft: gone from the storefront; enrolled learners keep their progress.");
        return admin;
    }

    private static async Task<Ok<IReadOnlyList<CourseAdminView>>> ListAsync(
        CourseAdminStore store, CancellationToken cancellationToken, [OneOf("draft", "published", "archived", Optional = true)] string? status = null) =>
        TypedResults.Ok<IReadOnlyList<CourseAdminView>>((await store.ListAsync(status, cancellationToken)).Select(row => row.As<CourseAdminView>()).ToList());

    private static async Task<Results<Ok<CourseAdminView>, ProblemHttpResult>> GetAsync(long id, CourseAdminStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } row ? TypedResults.Ok(row.As<CourseAdminView>()) : Problems.NotFound("No such course.");

    private static async Task<Results<Ok<CourseAdminView>, ValidationProblem, ProblemHttpResult>> SetPublishedAsync(
        long id, bool publish, HttpContext http, ContentWriter writer, CourseAdminStore store) =>
        AdminResults.Ok<CourseAdminView>(await writer.RunAsync(http, publish ? "course.publish" : "course.unpublish", "courses", async (scope, ct) =>
        {
            var (change, refusal) = await store.SetPublishedAsync(scope, id, publish, ct);
            return refusal is not null ? Fail(Problems.Unprocessable("status", refusal)) : Done(change);
        }));
}
