using System.Text.RegularExpressions;

namespace MestresCafe.Api.Media;

/// <summary>
/// Where the media files are kept: a folder (<see cref="DiskMediaStore"/>) or a bucket
/// (<see cref="S3MediaStore"/>), chosen by <c>Media:Store</c>. A file's name is its content's hash
/// (<see cref="MediaFileName"/>), so a file is written once and never changes: saving a name that is
/// already there writes nothing, and two uploads of the same bytes share one file.
/// </summary>
public interface IMediaStore
{
    /// <summary>Stores <paramref name="bytes"/> under <paramref name="fileName"/> unless a file of that name exists; whether it was written.</summary>
    /// <exception cref="MediaStoreUnavailableException">The store cannot be reached; nothing is known to be written.</exception>
    Task<bool> SaveAsync(string fileName, MediaType type, byte[] bytes, CancellationToken cancellationToken);

    /// <summary>The file of that name, to send to a client, or null when there is none.</summary>
    /// <exception cref="MediaStoreUnavailableException">The store cannot be reached.</exception>
    Task<StoredMediaFile?> OpenAsync(string fileName, CancellationToken cancellationToken);

    /// <summary>Every file of a name this store gives out, in no particular order (other files, such as a write's temporary one, are skipped).</summary>
    /// <exception cref="MediaStoreUnavailableException">The store cannot be reached.</exception>
    IAsyncEnumerable<StoredMediaEntry> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A file in the store, as listed.</summary>
public sealed record StoredMediaEntry(string FileName, long Length, DateTimeOffset LastModified);

/// <summary>A stored file found for reading.</summary>
public abstract record StoredMediaFile
{
    /// <summary>A file on this server's disk, sent from the file system.</summary>
    public sealed record OnDisk(string Path) : StoredMediaFile;

    /// <summary>A file streamed from elsewhere; the caller disposes the stream (a result that sends it does).</summary>
    public sealed record Streamed(Stream Content, long Length, DateTimeOffset? LastModified) : StoredMediaFile;
}

/// <summary>The media store did not answer, or answered with an error: the request may be retried (503).</summary>
public sealed class MediaStoreUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>The names the media store gives out: <c>{sha256}[-{width}].{extension}</c>.</summary>
public static partial class MediaFileName
{
    /// <summary>Names never change content, so clients and caches keep a file for a year without asking again.</summary>
    public const string CacheControl = "public, max-age=31536000, immutable";

    /// <summary>The public name of the original (no width) or of a variant.</summary>
    public static string For(string sha256, MediaType type, int? width = null) =>
        width is { } w ? $"{sha256}-{w}.{type.Extension}" : $"{sha256}.{type.Extension}";

    /// <summary>The type of a name this store gives out, or null for any other name (which is then never looked up).</summary>
    public static MediaType? TypeOf(string fileName) => Parse(fileName)?.Type;

    /// <summary>The hash, width (null for the original) and type a name stands for, or null when it is not one this store gives out.</summary>
    public static ParsedName? Parse(string fileName)
    {
        var match = NamePattern().Match(fileName);
        if (!match.Success || MediaType.ByExtension(match.Groups["ext"].Value) is not { } type)
        {
            return null;
        }

        int? width = match.Groups["width"].Success ? int.Parse(match.Groups["width"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        return new ParsedName(match.Groups["hash"].Value, width, type);
    }

    public sealed record ParsedName(string Sha256, int? Width, MediaType Type);

    /// <summary>Where a file lives below the store's root: a folder per first two hex digits, so no folder or key prefix holds everything.</summary>
    public static string RelativePath(string fileName) => fileName[..2] + "/" + fileName;

    [GeneratedRegex("^(?<hash>[0-9a-f]{64})(-(?<width>[1-9][0-9]{0,4}))?\\.(?<ext>[a-z]{3,4})$")]
    private static partial Regex NamePattern();
}
