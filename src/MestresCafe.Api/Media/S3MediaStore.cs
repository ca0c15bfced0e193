using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Media;

/// <summary>
/// The media files in a bucket of an S3-compatible store, under the keys the disk store uses as
/// paths (<c>{first two hex digits}/{name}</c>), each with its content type and the year-long cache
/// header, so a CDN in front of the bucket serves them as the API does. The SDK signs, retries
/// (<c>Media:S3:MaxErrorRetry</c>) and times out (<c>Media:S3:Timeout</c>); whatever still fails is a
/// <see cref="MediaStoreUnavailableException"/> (503), never a 500.
/// </summary>
public sealed class S3MediaStore : IMediaStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;

    public S3MediaStore(IOptions<MediaOptions> options)
    {
        var settings = options.Value.S3;
        _bucket = settings.Bucket ?? throw new InvalidOperationException("Media:S3:Bucket is not set.");
        _client = string.IsNullOrWhiteSpace(settings.AccessKeyId)
            ? new AmazonS3Client(ClientConfig(settings))
            : new AmazonS3Client(new BasicAWSCredentials(settings.AccessKeyId, settings.SecretAccessKey), ClientConfig(settings));
    }

    public static AmazonS3Config ClientConfig(S3MediaOptions settings)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            MaxErrorRetry = settings.MaxErrorRetry,
            Timeout = settings.Timeout,
            // Checksums only where S3 requires one: a default checksum travels in an aws-chunked
            // trailer, which not every S3-compatible server reads; the signed SHA-256 of the body
            // (payload signing, below) already lets the store refuse a damaged upload.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(settings.ServiceUrl))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }
        else
        {
            config.ServiceURL = settings.ServiceUrl;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(settings.Region) ? "us-east-1" : settings.Region;
        }

        return config;
    }

    public Task<bool> SaveAsync(string fileName, MediaType type, byte[] bytes, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var key = KeyOf(fileName);
            // The name is the content: an object already there is this file (an earlier upload, or
            // one racing this one, which writes the same bytes).
            if (await ExistsAsync(key, cancellationToken))
            {
                return false;
            }

            using var body = new MemoryStream(bytes, writable: false);
            var request = new PutObjectRequest
            {
                BucketName = _bucket,
                Key = key,
                InputStream = body,
                ContentType = type.ContentType,
                // One signed request with the body's SHA-256, rather than aws-chunked signing.
                UseChunkEncoding = false,
            };
            request.Headers.CacheControl = MediaFileName.CacheControl;
            await _client.PutObjectAsync(request, cancellationToken);
            return true;
        }, cancellationToken);

    public Task<StoredMediaFile?> OpenAsync(string fileName, CancellationToken cancellationToken) =>
        GuardAsync<StoredMediaFile?>(async () =>
        {
            try
            {
                var response = await _client.GetObjectAsync(_bucket, KeyOf(fileName), cancellationToken);
                return new StoredMediaFile.Streamed(response.ResponseStream, response.ContentLength, Utc(response.LastModified));
            }
            catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound && missing.ErrorCode != "NoSuchBucket")
            {
                return null;
            }
        }, cancellationToken);

    public async IAsyncEnumerable<StoredMediaEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? page = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _bucket, ContinuationToken = page };
            var listed = await GuardAsync(() => _client.ListObjectsV2Async(request, cancellationToken), cancellationToken);
            foreach (var item in listed.S3Objects ?? [])
            {
                var name = item.Key[(item.Key.LastIndexOf('/') + 1)..];
                if (MediaFileName.TypeOf(name) is not null && item.LastModified is { } modified)
                {
                    yield return new StoredMediaEntry(name, item.Size ?? 0, Utc(modified)!.Value);
                }
            }

            page = listed.IsTruncated == true ? listed.NextContinuationToken : null;
        }
        while (page is not null);
    }

    private static string KeyOf(string fileName) => MediaFileName.TypeOf(fileName) is null
        ? throw new ArgumentException("Not a media file name.", nameof(fileName))
        : MediaFileName.RelativePath(fileName);

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetObjectMetadataAsync(_bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            // A HEAD answer has no body to tell a missing key from a missing bucket; the write that
            // follows fails on a missing bucket.
            return false;
        }
    }

    /// <summary>
    /// Runs one call; a failure of the store (unreachable, timed out, a 5xx, or an error answer such
    /// as denied access or a missing bucket, which a retry after the operator's fix also cures)
    /// becomes <see cref="MediaStoreUnavailableException"/>.
    /// </summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception error) when (IsOutage(error, cancellationToken))
        {
            throw new MediaStoreUnavailableException($"The media bucket {_bucket} could not be used: {error.Message}", error);
        }
    }

    private static bool IsOutage(Exception error, CancellationToken cancellationToken) => error switch
    {
        AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException => true,
        // The SDK's own timeout; the caller's cancellation stays a cancellation.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static DateTimeOffset? Utc(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Unspecified } t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        { } t => new DateTimeOffset(t.ToUniversalTime()),
    };

    public void Dispose() => _client.Dispose();
}
