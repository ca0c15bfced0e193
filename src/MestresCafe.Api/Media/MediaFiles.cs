using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MestresCafe.Api.Media;

/// <summary>
/// The media folder: <c>{root}/{first two hex digits}/{sha256}[-{width}].{extension}</c>. A file's
/// name is its content's hash, so a file is written once and never changes: two uploads of the same
/// bytes share it, and a half-written file is never visible (written under a temporary name, then
/// moved into place).
/// </summary>
public sealed partial class MediaFiles(IOptions<MediaOptions> options, IHostEnvironment environment)
{
    private string Root => Path.GetFullPath(options.Value.RootPath, environment.ContentRootPath);

    /// <summary>The public name of the original (no width) or of a variant.</summary>
    public static string FileName(string sha256, MediaType type, int? width = null) =>
        width is { } w ? $"{sha256}-{w}.{type.Extension}" : $"{sha256}.{type.Extension}";

    /// <summary>The path of a public name, or null when the name is not one this store gives out.</summary>
    public string? PathOf(string fileName, out MediaType? type)
    {
        type = null;
        var match = NamePattern().Match(fileName);
        if (!match.Success || MediaType.ByExtension(match.Groups["ext"].Value) is not { } found)
        {
            return null;
        }

        type = found;
        return Path.Combine(Root, fileName[..2], fileName);
    }

    public async Task WriteAsync(string fileName, byte[] bytes, CancellationToken cancellationToken)
    {
        var path = PathOf(fileName, out _) ?? throw new ArgumentException("Not a media file name.", nameof(fileName));
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another upload of the same bytes got there first: the same content.
            File.Delete(temporary);
        }
    }

    [GeneratedRegex("^(?<hash>[0-9a-f]{64})(-(?<width>[1-9][0-9]{0,4}))?\\.(?<ext>[a-z]{3,4})$")]
    private static partial Regex NamePattern();
}
