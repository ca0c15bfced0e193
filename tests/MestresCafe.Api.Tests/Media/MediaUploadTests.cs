using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Media;
using MestresCafe.Api.Tests.Infrastructure;
using NetVips;
using static MestresCafe.Api.Tests.Media.MediaTestFiles;

namespace MestresCafe.Api.Tests.Media;

/// <summary>One server storing media in a folder of the class's own, with small limits.</summary>
public sealed class MediaHostFixture : IAsyncLifetime
{
    public const int MaxBytes = 400_000;
    public const long MaxPixels = 3_000_000;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mc-media-" + Guid.NewGuid().ToString("N"));
    public ApiTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = new ApiTestHost()
            .With("RateLimits:Enabled", "false")
            .With("Media:RootPath", Root)
            .With("Media:OrphanGrace", "00:00:00")
            .With("Media:MaxBytes", MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Media:MaxPixels", MaxPixels.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    public int FilesStored() => Directory.Exists(Root) ? Directory.GetFiles(Root, "*", SearchOption.AllDirectories).Length : 0;
}

public sealed class MediaUploadTests(MediaHostFixture fixture) : IClassFixture<MediaHostFixture>
{
    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task An_image_is_stored_by_content_with_its_dimensions_and_resized_copies_and_served_with_a_long_cache()
    {
        using var editor = await Host.CreateSignedInClientAsync("admin");
        var png = Picture(1000, 600, ".png");

        using var created = await editor.Http.PostAsync("/api/admin/media", Upload(png, "moagem.png", "blog"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var asset = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("image/png", 1000, 600), (asset.GetProperty("contentType").GetString(), asset.GetProperty("width").GetInt32(),
            asset.GetProperty("height").GetInt32()));
        Assert.Equal([(320, 192), (800, 480)],
            asset.GetProperty("variants").EnumerateArray().Select(v => (v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32())).ToArray());

        using var anonymous = Host.CreateClient();
        using var original = await anonymous.GetAsync(asset.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("image/png", original.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", original.Headers.CacheControl?.ToString());
        var served = await original.Content.ReadAsByteArrayAsync();
        Assert.Equal(asset.GetProperty("byteSize").GetInt32(), served.Length);
        using (var full = Image.NewFromBuffer(served))
        {
            Assert.Equal((1000, 600), (full.Width, full.Height));
        }
        var smallUrl = asset.GetProperty("variants")[0].GetProperty("url").GetString();
        using (var small = Image.NewFromBuffer(await anonymous.GetByteArrayAsync(smallUrl)))
        {
            Assert.Equal((320, 192), (small.Width, small.Height));
        }

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, asset.GetProperty("url").GetString());
        revalidate.Headers.IfNoneMatch.Add(original.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(revalidate)).StatusCode);

        // The same bytes again: the first upload, nothing new stored or audited.
        using var again = await editor.Http.PostAsync("/api/admin/media", Upload(png, "outra.png", "course"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(asset.GetProperty("id").GetInt64(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        Assert.Equal(1, await Host.Database.ScalarAsync<long>(
            "select count(*) from audit_logs where action = 'media.upload' and record_id = $1 and user_id = $2", asset.GetProperty("id").GetInt64(), editor.UserId));
    }

    [Fact]
    public async Task Bad_uploads_are_refused_by_content_with_problem_details_and_nothing_is_written()
    {
        using var editor = await Host.CreateSignedInClientAsync("admin");
        using var customer = await Host.CreateSignedInClientAsync("customer");
        var jpeg = Picture(400, 300, ".jpg");
        var rowsBefore = await Host.Database.ScalarAsync<long>("select count(*) from media_assets");
        var filesBefore = fixture.FilesStored();

        var refusals = new (HttpContent Body, HttpStatusCode Status)[]
        {
            (Upload("isto não é uma imagem"u8.ToArray(), "foto.png", "blog"), HttpStatusCode.UnsupportedMediaType),
            (Upload("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "logo.svg", "blog"), HttpStatusCode.UnsupportedMediaType),
            (Upload(jpeg[..(jpeg.Length / 2)], "cortada.jpg", "blog"), HttpStatusCode.UnprocessableEntity),
            (Upload([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4], "falsa.png", "blog"), HttpStatusCode.UnprocessableEntity),
            (Upload(Picture(2000, 1600, ".png"), "enorme.png", "blog"), HttpStatusCode.UnprocessableEntity),
            (Upload(new byte[MediaHostFixture.MaxBytes + 1], "grande.jpg", "blog"), HttpStatusCode.RequestEntityTooLarge),
            (Upload(jpeg, "sem-finalidade.jpg", "banner"), HttpStatusCode.BadRequest),
            (JsonContent.Create(new { file = "x" }), HttpStatusCode.UnsupportedMediaType),
        };
        foreach (var (body, status) in refusals)
        {
            using var response = await editor.Http.PostAsync("/api/admin/media", body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using (var forbidden = await customer.Http.PostAsync("/api/admin/media", Upload(jpeg, "foto.jpg", "blog")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        Assert.Equal(rowsBefore, await Host.Database.ScalarAsync<long>("select count(*) from media_assets"));
        Assert.Equal(filesBefore, fixture.FilesStored());
        using var anonymous = Host.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/media/{new string('a', 64)}.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/media/..%2F..%2Fetc%2Fpasswd")).StatusCode);
    }

    [Fact]
    public async Task Files_no_upload_accounts_for_are_listed_for_staff_and_recorded_ones_are_not()
    {
        using var editor = await Host.CreateSignedInClientAsync("admin");
        using var customer = await Host.CreateSignedInClientAsync("customer");
        var jpeg = Picture(500, 300, ".jpg");
        using (var uploaded = await editor.Http.PostAsync("/api/admin/media", Upload(jpeg, "filtro.jpg", "product")))
        {
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        // Left by writes that failed halfway: a file whose row was never written, and a resized
        // copy of a recorded image at a width its row does not have.
        var sha256 = HashOf(jpeg);
        var unrecorded = new string('c', 64) + ".png";
        var strayCopy = $"{sha256}-480.jpg";
        foreach (var (name, bytes) in new[] { (unrecorded, 7), (strayCopy, 5) })
        {
            Directory.CreateDirectory(Path.Combine(fixture.Root, name[..2]));
            await File.WriteAllBytesAsync(Path.Combine(fixture.Root, name[..2], name), new byte[bytes]);
        }

        var listed = await editor.Http.GetFromJsonAsync<JsonElement>("/api/admin/media/orphans");
        Assert.Equal(
            new[] { (unrecorded, 7L), (strayCopy, 5L) }.OrderBy(f => f.Item1, StringComparer.Ordinal).ToArray(),
            listed.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("file").GetString()!, f.GetProperty("byteSize").GetInt64())).ToArray());
        Assert.False(listed.GetProperty("truncated").GetBoolean());

        var first = await editor.Http.GetFromJsonAsync<JsonElement>("/api/admin/media/orphans?limit=1");
        Assert.Equal((1, true), (first.GetProperty("files").GetArrayLength(), first.GetProperty("truncated").GetBoolean()));
        Assert.Equal(HttpStatusCode.BadRequest, (await editor.Http.GetAsync("/api/admin/media/orphans?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.Http.GetAsync("/api/admin/media/orphans")).StatusCode);
    }

    [Fact]
    public void A_photo_is_stored_upright_and_without_its_metadata()
    {
        byte[] photo;
        using (var picture = Image.NewFromBuffer(Picture(400, 200, ".jpg")))
        // Taken with the phone turned: an EXIF block saying to show it rotated a quarter turn.
        using (var tagged = picture.Mutate(m => m.Set(GValue.GIntType, "orientation", 6)))
        {
            photo = tagged.WriteToBuffer(".jpg");
        }

        using (var uploaded = Image.NewFromBuffer(photo))
        {
            Assert.Equal(6, (int)uploaded.Get("orientation"));
            Assert.Contains("exif-data", uploaded.GetFields());
        }

        var accepted = Assert.IsType<InspectedImage.Accepted>(ImageInspector.Inspect(photo, MediaHostFixture.MaxPixels, [100]));

        Assert.Equal((200, 400), (accepted.Width, accepted.Height));
        using var stored = Image.NewFromBuffer(accepted.Stored);
        Assert.Equal((200, 400), (stored.Width, stored.Height));
        Assert.DoesNotContain(stored.GetFields(), field => field.StartsWith("exif", StringComparison.Ordinal) || field == "orientation");
        Assert.Equal((100, 200), (accepted.Variants[0].Width, accepted.Variants[0].Height));
    }

    [Fact]
    public void Types_are_told_by_their_signature_not_their_name()
    {
        Assert.Equal(MediaType.Jpeg, ImageInspector.Sniff(Picture(8, 8, ".jpg")));
        Assert.Equal(MediaType.Png, ImageInspector.Sniff(Picture(8, 8, ".png")));
        Assert.Equal(MediaType.WebP, ImageInspector.Sniff(Picture(8, 8, ".webp")));
        Assert.Null(ImageInspector.Sniff("GIF89a"u8));
        Assert.Null(ImageInspector.Sniff([]));
    }
}
