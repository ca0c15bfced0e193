using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using MestresCafe.Api.Media;
using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;
using static MestresCafe.Api.Tests.Media.MediaTestFiles;

namespace MestresCafe.Api.Tests.Media;

/// <summary>One server keeping its media in a bucket of a real S3-compatible server on loopback.</summary>
public sealed class S3MediaFixture : IAsyncLifetime
{
    public const string Bucket = "mestres-media";

    /// <summary>The disk store's folder: it must stay empty while the store is S3.</summary>
    public string DiskRoot { get; } = Path.Combine(Path.GetTempPath(), "mc-media-unused-" + Guid.NewGuid().ToString("N"));
    public S3ServerProcess S3 { get; private set; } = null!;
    public ApiTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        S3 = await S3ServerProcess.StartAsync(Bucket);
        Host = new ApiTestHost().WithoutDemoData().With("RateLimits:Enabled", "false").With("Media:RootPath", DiskRoot).With("Media:OrphanGrace", "00:00:00");
        foreach (var (key, value) in S3.MediaSettings)
        {
            Host.With(key, value);
        }

        await Host.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await S3.DisposeAsync();
    }

    /// <summary>A client of the bucket of its own, to look at what the server wrote.</summary>
    public AmazonS3Client BucketClient() => new(
        new BasicAWSCredentials(S3ServerProcess.AccessKeyId, S3ServerProcess.SecretAccessKey),
        S3MediaStore.ClientConfig(new S3MediaOptions { ServiceUrl = S3.ServiceUrl, Bucket = Bucket, ForcePathStyle = true }));
}

public sealed class S3MediaStoreTests(S3MediaFixture fixture) : IClassFixture<S3MediaFixture>
{
    private ApiTestHost Host => fixture.Host;

    [Fact]
    public async Task An_upload_lands_in_the_bucket_under_its_content_hash_and_is_served_back_with_long_cache_headers()
    {
        using var editor = await Host.CreateSignedInClientAsync("admin");
        var png = Picture(1000, 600, ".png");
        var sha256 = HashOf(png);

        using var created = await editor.Http.PostAsync("/api/admin/media", Upload(png, "moagem.png", "blog"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var asset = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/media/{sha256}.png", asset.GetProperty("url").GetString());

        using var bucket = fixture.BucketClient();
        var keys = (await bucket.ListObjectsV2Async(new ListObjectsV2Request { BucketName = S3MediaFixture.Bucket, Prefix = sha256[..2] + "/" + sha256 }))
            .S3Objects.Select(o => o.Key).Order().ToArray();
        Assert.Equal([$"{sha256[..2]}/{sha256}-320.png", $"{sha256[..2]}/{sha256}-800.png", $"{sha256[..2]}/{sha256}.png"], keys);
        byte[] stored;
        using (var original = await bucket.GetObjectAsync(S3MediaFixture.Bucket, $"{sha256[..2]}/{sha256}.png"))
        using (var copy = new MemoryStream())
        {
            Assert.Equal(("image/png", MediaFileName.CacheControl), (original.Headers.ContentType, original.Headers.CacheControl));
            await original.ResponseStream.CopyToAsync(copy);
            stored = copy.ToArray();
        }

        using var anonymous = Host.CreateClient();
        using var served = await anonymous.GetAsync(asset.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(MediaFileName.CacheControl, served.Headers.CacheControl?.ToString());
        Assert.Equal($"\"{sha256}\"", served.Headers.ETag?.Tag);
        Assert.Equal(asset.GetProperty("byteSize").GetInt32(), served.Content.Headers.ContentLength);
        Assert.Equal(stored, await served.Content.ReadAsByteArrayAsync());

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, asset.GetProperty("url").GetString());
        revalidate.Headers.IfNoneMatch.Add(served.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await anonymous.SendAsync(revalidate)).StatusCode);

        using var missing = await anonymous.GetAsync($"/api/media/{new string('b', 64)}.png");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.False(Directory.Exists(fixture.DiskRoot), "the disk store was written while the store is S3");
    }

    [Fact]
    public async Task The_same_bytes_uploaded_twice_are_one_object_per_file_written_once()
    {
        using var editor = await Host.CreateSignedInClientAsync("admin");
        var jpeg = Picture(900, 500, ".jpg");
        var sha256 = HashOf(jpeg);

        using var first = await editor.Http.PostAsync("/api/admin/media", Upload(jpeg, "xicara.jpg", "product"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var again = await editor.Http.PostAsync("/api/admin/media", Upload(jpeg, "xicara-de-novo.jpg", "course"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(),
            (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());

        // The server reports writes in order: once a later upload's file is reported, a second
        // write of the first image's files would have been reported before it.
        var later = Picture(300, 200, ".jpg");
        var laterKey = MediaFileName.RelativePath(MediaFileName.For(HashOf(later), MediaType.Jpeg));
        using (var marker = await editor.Http.PostAsync("/api/admin/media", Upload(later, "depois.jpg", "blog")))
        {
            Assert.Equal(HttpStatusCode.Created, marker.StatusCode);
        }

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(fixture.S3.Written.Contains(laterKey))), fixture.S3.Output);
        var writes = fixture.S3.Written.Where(key => key.Contains(sha256, StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"{sha256[..2]}/{sha256}-320.jpg", $"{sha256[..2]}/{sha256}-800.jpg", $"{sha256[..2]}/{sha256}.jpg"],
            writes.Order().ToArray());
    }

    [Fact]
    public async Task With_the_store_down_uploads_and_reads_answer_503_with_Retry_After_and_nothing_is_recorded()
    {
        using var editor = await Host.CreateSignedInClientAsync("admin");
        using var anonymous = Host.CreateClient();
        using var stored = await editor.Http.PostAsync("/api/admin/media", Upload(Picture(640, 480, ".webp"), "grao.webp", "blog"));
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var url = (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString();
        var newcomer = Picture(700, 400, ".png");
        var assets = await Host.Database.ScalarAsync<long>("select count(*) from media_assets");
        var audits = await Host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'media.upload'");

        await fixture.S3.StopAsync();
        try
        {
            using var upload = await editor.Http.PostAsync("/api/admin/media", Upload(newcomer, "torra.png", "blog"));
            AssertRetryableOutage(upload);
            using var read = await anonymous.GetAsync(url);
            AssertRetryableOutage(read);

            Assert.Equal(assets, await Host.Database.ScalarAsync<long>("select count(*) from media_assets"));
            Assert.Equal(audits, await Host.Database.ScalarAsync<long>("select count(*) from audit_logs where action = 'media.upload'"));
        }
        finally
        {
            await fixture.S3.StartAgainAsync();
        }

        // Back up: the retried upload and the read both succeed.
        using (var retried = await editor.Http.PostAsync("/api/admin/media", Upload(newcomer, "torra.png", "blog")))
        {
            Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        }

        using var readAgain = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, readAgain.StatusCode);
        Assert.Equal("image/webp", readAgain.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_object_no_upload_accounts_for_is_listed_as_an_orphan()
    {
        using var editor = await Host.CreateSignedInClientAsync("admin");
        var unrecorded = new string('d', 64) + ".webp";
        using (var bucket = fixture.BucketClient())
        {
            await bucket.PutObjectAsync(new PutObjectRequest
            {
                BucketName = S3MediaFixture.Bucket, Key = MediaFileName.RelativePath(unrecorded), ContentBody = "resto", UseChunkEncoding = false,
            });
        }

        var listed = await editor.Http.GetFromJsonAsync<JsonElement>("/api/admin/media/orphans");

        var orphan = Assert.Single(listed.GetProperty("files").EnumerateArray());
        Assert.Equal((unrecorded, 5L), (orphan.GetProperty("file").GetString(), orphan.GetProperty("byteSize").GetInt64()));
    }

    private static void AssertRetryableOutage(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
    }
}
