using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace MestresCafe.Api.Media;

/// <summary>Where uploaded media files are kept (<c>Media:Store</c>).</summary>
public enum MediaStoreKind
{
    /// <summary>A folder (<c>Media:RootPath</c>), shared by every server of a deployment.</summary>
    Disk,

    /// <summary>A bucket of an S3-compatible store (<c>Media:S3:*</c>).</summary>
    S3,
}

/// <summary>Uploaded media (<c>Media:*</c>): where files live and what an upload may be.</summary>
public sealed partial class MediaOptions : IValidatableObject
{
    public const string Section = "Media";

    /// <summary>Disk (the default) or S3.</summary>
    public MediaStoreKind Store { get; set; } = MediaStoreKind.Disk;

    /// <summary>The folder files are stored in, by content hash; relative paths start at the server's content root. Shared by all servers.</summary>
    [Required]
    public string RootPath { get; set; } = "media";

    /// <summary>The bucket, when <see cref="Store"/> is S3.</summary>
    public S3MediaOptions S3 { get; set; } = new();

    /// <summary>The largest file accepted.</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most pixels an image may have (width × height), checked from its header before it is decoded: a small file can claim a huge image.</summary>
    [Range(1, 200_000_000)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>The widths of the resized copies made of every image wider than them.</summary>
    [Required, MinLength(1)]
    public int[] VariantWidths { get; set; } = [320, 800, 1600];

    /// <summary>How old a file without a row must be before it is listed as an orphan: an upload writes its files first and its row a moment later.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan OrphanGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The S3 settings must name a bucket and where it is before the server starts, not at the first upload.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Store == MediaStoreKind.S3 ? S3.Problems().Select(problem => new ValidationResult(problem)) : [];

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    internal static partial Regex BucketName();
}

/// <summary>
/// <c>Media:S3:*</c>: a bucket of Amazon S3 or of any server speaking its API (MinIO, Ceph,
/// Garage, a cloud's S3-compatible storage). Credentials come from settings given by the
/// environment or the secrets folder, never from the database; without them the SDK looks for its
/// own (AWS_* environment variables, a web identity token, an instance role).
/// </summary>
public sealed class S3MediaOptions
{
    /// <summary>The store's address (<c>https://s3.example.com</c>); empty for Amazon S3 itself, found from <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string? Bucket { get; set; }

    /// <summary>The region requests are signed for (Amazon S3's region; most other stores accept any, <c>us-east-1</c> when empty).</summary>
    public string? Region { get; set; }

    /// <summary>Addresses objects as <c>{ServiceUrl}/{bucket}/{key}</c> rather than <c>{bucket}.{host}</c>: what most self-hosted stores need.</summary>
    public bool ForcePathStyle { get; set; }

    public string? AccessKeyId { get; set; }

    /// <summary>A secret: an environment variable or a file in the secrets folder, never a committed file or the database.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Retries of a failed call (the SDK's backoff) before the request is answered 503.</summary>
    [Range(0, 10)]
    public int MaxErrorRetry { get; set; } = 2;

    /// <summary>How long one call may take, from connecting to the last byte of its answer's headers.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What is wrong with these settings for a server storing media in S3; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            yield return "Media:Store is S3 but Media:S3:Bucket is not set: name the bucket the media files go to.";
        }
        else if (!MediaOptions.BucketName().IsMatch(Bucket))
        {
            yield return $"Media:S3:Bucket '{Bucket}' is not a bucket name (3-63 lower-case letters, digits, dots and hyphens).";
        }

        if (string.IsNullOrWhiteSpace(ServiceUrl) && string.IsNullOrWhiteSpace(Region))
        {
            yield return "Media:Store is S3 but neither Media:S3:ServiceUrl (an S3-compatible server's address) nor Media:S3:Region (Amazon S3's region) is set.";
        }
        else if (!string.IsNullOrWhiteSpace(ServiceUrl)
            && !(Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            yield return $"Media:S3:ServiceUrl '{ServiceUrl}' is not an http(s) address.";
        }

        if (string.IsNullOrWhiteSpace(AccessKeyId) != string.IsNullOrWhiteSpace(SecretAccessKey))
        {
            yield return "Set both Media:S3:AccessKeyId and Media:S3:SecretAccessKey, or neither (the SDK's own credentials are then used).";
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return "Media:S3:Timeout must be positive.";
        }
    }
}
