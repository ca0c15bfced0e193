using System.Security.Cryptography;
using MestresCafe.Data.Audit;
using MestresCafe.Data.Media;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Media;

/// <summary>
/// The one way an image enters the store, for an upload and for the demo's pictures alike: checked
/// and resized by <see cref="ImageInspector"/>, written by content hash, then recorded with an audit row.
/// </summary>
public sealed class MediaLibrary(IMediaStore files, MediaAssetStore store, IOptions<MediaOptions> options, TimeProvider time)
{
    public InspectedImage Inspect(byte[] bytes) => ImageInspector.Inspect(bytes, options.Value.MaxPixels, options.Value.VariantWidths);

    /// <summary>Stores an accepted image; the same bytes again answer the first row (Created false).</summary>
    /// <param name="uploaded">The bytes as received: their hash names the files, so the same upload again finds the first one.</param>
    public async Task<(MediaAssetRow Asset, bool Created)> StoreAsync(
        byte[] uploaded, InspectedImage.Accepted image, string purpose, string? originalName, AuditActor actor, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(uploaded));
        // Files first: a row never points at a missing file; a file whose row failed (or whose
        // store failed halfway) is an unreferenced copy that the same upload again completes.
        await files.SaveAsync(MediaFileName.For(sha256, image.Type), image.Type, image.Stored, cancellationToken);
        foreach (var variant in image.Variants)
        {
            await files.SaveAsync(MediaFileName.For(sha256, image.Type, variant.Width), image.Type, variant.Bytes, cancellationToken);
        }

        return await store.AddAsync(new MediaAssetRow
        {
            Sha256 = sha256,
            ContentType = image.Type.ContentType,
            Purpose = purpose,
            OriginalName = originalName,
            ByteSize = image.Stored.Length,
            Width = image.Width,
            Height = image.Height,
            Variants = image.Variants.Select(v => new MediaVariantRow { Width = v.Width, Height = v.Height, ByteSize = v.Bytes.Length }).ToList(),
        }, actor, cancellationToken);
    }

    /// <summary>
    /// Files in the store that no row accounts for, up to <paramref name="limit"/>: an upload whose
    /// row failed after its files were written, or whose store failed halfway through its resized
    /// copies (the same upload again completes it). Files younger than <c>Media:OrphanGrace</c> may
    /// be an upload in flight and are left out. The whole store is read, in batches checked
    /// against PostgreSQL; nothing is deleted (staff decide, and a later upload of the same bytes
    /// would reuse the file).
    /// </summary>
    public async Task<(IReadOnlyList<StoredMediaEntry> Orphans, bool Truncated)> OrphansAsync(int limit, CancellationToken cancellationToken)
    {
        const int Batch = 500;
        var settled = time.GetUtcNow() - options.Value.OrphanGrace;
        var orphans = new List<StoredMediaEntry>();
        var batch = new List<StoredMediaEntry>(Batch);
        await foreach (var file in files.ListAsync(cancellationToken))
        {
            if (file.LastModified <= settled)
            {
                batch.Add(file);
            }

            if (batch.Count == Batch && await CheckAsync() > limit)
            {
                break;
            }
        }

        await CheckAsync();
        var sorted = orphans.OrderBy(o => o.FileName, StringComparer.Ordinal).ToList();
        return (sorted.Take(limit).ToList(), sorted.Count > limit);

        async Task<int> CheckAsync()
        {
            if (batch.Count > 0)
            {
                var byName = batch.ToDictionary(f => f.FileName);
                var keys = batch.Select(f =>
                {
                    var name = MediaFileName.Parse(f.FileName)!;
                    return new MediaFileKey(f.FileName, name.Sha256, name.Width, name.Type.ContentType);
                }).ToList();
                orphans.AddRange((await store.UnrecordedAsync(keys, cancellationToken)).Select(name => byName[name]));
                batch.Clear();
            }

            return orphans.Count;
        }
    }

    /// <summary>The public URL of a stored image (no width) or of one of its resized copies.</summary>
    public static string Url(string sha256, string contentType, int? width = null) =>
        "/api/media/" + MediaFileName.For(sha256, MediaType.All.Single(t => t.ContentType == contentType), width);
}
