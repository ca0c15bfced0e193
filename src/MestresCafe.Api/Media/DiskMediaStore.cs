using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Media;

/// <summary>
/// The media folder: <c>{root}/{first two hex digits}/{sha256}[-{width}].{extension}</c>. A
/// half-written file is never visible: it is written under a temporary name, then moved into place.
/// </summary>
public sealed class DiskMediaStore(IOptions<MediaOptions> options, IHostEnvironment environment) : IMediaStore
{
    private string Root => Path.GetFullPath(options.Value.RootPath, environment.ContentRootPath);

    public async Task<bool> SaveAsync(string fileName, MediaType type, byte[] bytes, CancellationToken cancellationToken)
    {
        var path = PathOf(fileName) ?? throw new ArgumentException("Not a media file name.", nameof(fileName));
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another upload of the same bytes got there first: the same content.
            File.Delete(temporary);
            return false;
        }
    }

    public Task<StoredMediaFile?> OpenAsync(string fileName, CancellationToken cancellationToken) =>
        Task.FromResult<StoredMediaFile?>(PathOf(fileName) is { } path && File.Exists(path) ? new StoredMediaFile.OnDisk(path) : null);

    public async IAsyncEnumerable<StoredMediaEntry> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            yield break;
        }

        foreach (var file in new DirectoryInfo(Root).EnumerateFiles("*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (MediaFileName.TypeOf(file.Name) is not null)
            {
                yield return new StoredMediaEntry(file.Name, file.Length, file.LastWriteTimeUtc);
            }
        }

        await Task.CompletedTask;
    }

    private string? PathOf(string fileName) =>
        MediaFileName.TypeOf(fileName) is null ? null : Path.Combine(Root, MediaFileName.RelativePath(fileName));
}
