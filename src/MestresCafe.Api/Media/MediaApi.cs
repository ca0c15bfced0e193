using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.OpenApi;
using MestresCafe.Api.Infrastructure;
using MestresCafe.Api.Security;
using MestresCafe.Data.Media;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MestresCafe.Api.Media;

/// <summary>An uploaded image as the back office sees it: where it is served, and its resized copies.</summary>
public sealed record MediaAssetView(
    long Id, string Url, string ContentType, string Purpose, string? OriginalName, int ByteSize, int Width, int Height,
    DateTimeOffset CreatedAt, IReadOnlyList<MediaVariantView> Variants);

public sealed record MediaVariantView(int Width, int Height, int ByteSize, string Url);

/// <summary>Files in the media store that no upload's row accounts for (<see cref="MediaLibrary.OrphansAsync"/>).</summary>
public sealed record MediaOrphansView(IReadOnlyList<MediaOrphanView> Files, bool Truncated);

public sealed record MediaOrphanView(string File, long ByteSize, DateTimeOffset LastModified);

/// <summary>
/// /api/admin/media: image upload for products (products:write), posts and courses (content:write),
/// one multipart file per request, checked by content (<see cref="ImageInspector"/>) before
/// anything is written; /api/admin/media/orphans: stored files no upload accounts for;
/// /api/media/{file}: the files, public, cached for a year (their names are content hashes, so
/// they never change), from the configured store (<see cref="IMediaStore"/>).
/// </summary>
public static class MediaApi
{
    public const string FileField = "file";
    public const string PurposeField = "purpose";

    /// <summary>Who may upload for each purpose (the permission that edits what the image illustrates).</summary>
    public static readonly IReadOnlyDictionary<string, string> PurposePermissions = new Dictionary<string, string>
    {
        ["product"] = "products:write",
        ["blog"] = "content:write",
        ["course"] = "content:write",
    };

    public static IHostApplicationBuilder AddMestresMedia(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MediaOptions>().BindConfiguration(MediaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // One store per server, chosen once at start (settings validated before it is made).
        builder.Services.AddSingleton<IMediaStore>(services =>
            services.GetRequiredService<IOptions<MediaOptions>>().Value.Store == MediaStoreKind.S3
                ? ActivatorUtilities.CreateInstance<S3MediaStore>(services)
                : ActivatorUtilities.CreateInstance<DiskMediaStore>(services));
        builder.Services.AddSingleton<MediaAssetStore>();
        builder.Services.AddSingleton<MediaLibrary>();
        return builder;
    }

    public static RouteGroupBuilder MapMediaApi(this RouteGroupBuilder api, long maxBytes)
    {
        // Which permission an upload needs depends on its purpose, so the handlers check it.
        var admin = api.MapGroup("/admin/media").WithTags("Back office: media").RequireAuthorization()
            .WithPermissionAlternatives([.. PurposePermissions.Values.Distinct()]);
        admin.MapPost("/", UploadAsync)
            // The multipart envelope around the file: boundaries, headers and the purpose field.
            .WithRequestSizeLimit(maxBytes + (16 * 1024))
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .WithName("UploadMedia")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Uploads an image (field 'file': JPEG, PNG or WebP by content; field 'purpose': product, blog or course): 201 with its URL, dimensions and resized copies; the same bytes again: 200 with the first upload.");
        admin.MapGet("/{id:long}", GetAsync)
            .WithName("GetMedia")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("An uploaded image with its URL, dimensions and resized copies.");
        admin.MapGet("/orphans", OrphansAsync)
            .WithName("ListOrphanMediaFiles")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Files in the media store that no upload accounts for (a write that failed halfway), older than Media:OrphanGrace, by name; nothing is deleted. Reads the whole store.");
        api.MapGet("/media/{file}", ServeAsync)
            .AllowAnonymous()
            .WithTags("Media")
            .WithName("GetMediaFile")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("An uploaded image or one of its resized copies ({sha256}[-{width}].{jpg|png|webp}), cached for a year.");
        return admin;
    }

    private static async Task<Results<Created<MediaAssetView>, Ok<MediaAssetView>, ProblemHttpResult>> UploadAsync(
        HttpContext http, MediaLibrary media, IOptions<MediaOptions> options)
    {
        var settings = options.Value;
        var request = http.Request;
        if (!request.HasFormContentType)
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Not a form", "Send the image as multipart/form-data, in the field 'file'.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(http.RequestAborted);
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(settings);
        }
        catch (InvalidDataException error)
        {
            return Problem(StatusCodes.Status400BadRequest, "Malformed form", error.Message);
        }

        var purpose = form[PurposeField].ToString();
        if (!PurposePermissions.TryGetValue(purpose, out var permission))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid purpose", $"Field 'purpose' must be one of: {string.Join(", ", PurposePermissions.Keys)}.");
        }

        if (!http.User.HasPermission(permission))
        {
            return Problem(StatusCodes.Status403Forbidden, "Forbidden", $"Uploading {purpose} images needs {permission}.");
        }

        if (form.Files.Count != 1 || form.Files.GetFile(FileField) is not { Length: > 0 } file)
        {
            return Problem(StatusCodes.Status400BadRequest, "No file", "Send exactly one non-empty file, in the field 'file'.");
        }

        if (file.Length > settings.MaxBytes)
        {
            return TooLarge(settings);
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, http.RequestAborted);
        }

        switch (media.Inspect(bytes))
        {
            case InspectedImage.UnsupportedType refused:
                return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported image type", refused.Detail);
            case InspectedImage.Unusable unusable:
                return Problem(StatusCodes.Status422UnprocessableEntity, "Unusable image", unusable.Detail);
            case InspectedImage.Accepted image:
                var (asset, created) = await media.StoreAsync(bytes, image, purpose, OriginalName(file.FileName), AuditActors.From(http), CancellationToken.None);
                var view = View(asset);
                return created ? TypedResults.Created($"/api/admin/media/{asset.Id}", view) : TypedResults.Ok(view);
            default:
                throw new InvalidOperationException("Unknown inspection outcome.");
        }
    }

    private static async Task<Results<Ok<MediaAssetView>, ProblemHttpResult>> GetAsync(long id, MediaAssetStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (RefuseNonStaff(http) is { } refused)
        {
            return refused;
        }

        return await store.GetAsync(id, cancellationToken) is { } asset
            ? TypedResults.Ok(View(asset))
            : Problem(StatusCodes.Status404NotFound, "Not found", $"No media {id}.");
    }

    private static async Task<Results<Ok<MediaOrphansView>, ProblemHttpResult>> OrphansAsync(
        HttpContext http, MediaLibrary media, CancellationToken cancellationToken, [Range(1, 1000, ErrorMessage = "Between 1 and {2}.")] int limit = 100)
    {
        if (RefuseNonStaff(http) is { } refused)
        {
            return refused;
        }

        var (orphans, truncated) = await media.OrphansAsync(limit, cancellationToken);
        return TypedResults.Ok(new MediaOrphansView(orphans.Select(o => new MediaOrphanView(o.FileName, o.Length, o.LastModified)).ToList(), truncated));
    }

    /// <summary>Staff who may upload some kind of image read any upload's record and the store's listing; a customer is not staff.</summary>
    private static ProblemHttpResult? RefuseNonStaff(HttpContext http) => PurposePermissions.Values.Any(http.User.HasPermission)
        ? null
        : Problem(StatusCodes.Status403Forbidden, "Forbidden", $"Reading uploads needs one of {string.Join(", ", PurposePermissions.Values.Distinct())}.");

    private static async Task<IResult> ServeAsync(string file, IMediaStore files, HttpContext http)
    {
        if (MediaFileName.TypeOf(file) is not { } type || await files.OpenAsync(file, http.RequestAborted) is not { } found)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found", $"No media file {file}.");
        }

        var headers = http.Response.Headers;
        headers.CacheControl = MediaFileName.CacheControl;
        headers.XContentTypeOptions = "nosniff";
        var entityTag = new EntityTagHeaderValue($"\"{Path.GetFileNameWithoutExtension(file)}\"");
        switch (found)
        {
            case StoredMediaFile.OnDisk disk:
                return TypedResults.PhysicalFile(disk.Path, type.ContentType, entityTag: entityTag);
            case StoredMediaFile.Streamed streamed:
                // Not seekable, so no ranges and no length from the stream; the store told the
                // length, so a full answer is not chunked (a 304 or 412 has no body to measure).
                http.Response.OnStarting(() =>
                {
                    if (http.Response.StatusCode == StatusCodes.Status200OK)
                    {
                        http.Response.ContentLength = streamed.Length;
                    }

                    return Task.CompletedTask;
                });
                return TypedResults.Stream(streamed.Content, type.ContentType, lastModified: streamed.LastModified, entityTag: entityTag);
            default:
                throw new InvalidOperationException("Unknown stored file.");
        }
    }

    private static MediaAssetView View(MediaAssetRow asset) =>
        new(asset.Id, MediaLibrary.Url(asset.Sha256, asset.ContentType), asset.ContentType, asset.Purpose, asset.OriginalName,
            asset.ByteSize, asset.Width, asset.Height, asset.CreatedAt,
            asset.Variants.Select(v => new MediaVariantView(v.Width, v.Height, v.ByteSize, MediaLibrary.Url(asset.Sha256, asset.ContentType, v.Width))).ToList());

    /// <summary>The client's file name as a label only (never a path): its last segment, at most 255 characters, no control characters.</summary>
    private static string? OriginalName(string? name)
    {
        var last = Path.GetFileName(name?.Replace('\\', '/') ?? "");
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim();
        return clean.Length == 0 ? null : clean[..Math.Min(clean.Length, 255)];
    }

    private static ProblemHttpResult TooLarge(MediaOptions settings) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"An image is at most {settings.MaxBytes} bytes.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}
