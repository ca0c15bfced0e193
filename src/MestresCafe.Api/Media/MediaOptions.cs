using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Media;

/// <summary>Uploaded media (<c>Media:*</c>): where files live and what an upload may be.</summary>
public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>The folder files are stored in, by content hash; relative paths start at the server's content root. Shared by all servers.</summary>
    [Required]
    public string RootPath { get; set; } = "media";

    /// <summary>The largest file accepted.</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public int MaxBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most pixels an image may have (width × height), checked from its header before it is decoded: a small file can claim a huge image.</summary>
    [Range(1, 200_000_000)]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>The widths of the resized copies made of every image wider than them.</summary>
    [Required, MinLength(1)]
    public int[] VariantWidths { get; set; } = [320, 800, 1600];
}
