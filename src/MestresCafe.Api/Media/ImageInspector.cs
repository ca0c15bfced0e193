using NetVips;

namespace MestresCafe.Api.Media;

/// <summary>An image type accepted on upload: how it is named in a URL and served.</summary>
public sealed record MediaType(string ContentType, string Extension, string Loader)
{
    public static readonly MediaType Jpeg = new("image/jpeg", "jpg", "jpegload");
    public static readonly MediaType Png = new("image/png", "png", "pngload");
    public static readonly MediaType WebP = new("image/webp", "webp", "webpload");

    public static readonly IReadOnlyList<MediaType> All = [Jpeg, Png, WebP];

    public static MediaType? ByExtension(string extension) => All.FirstOrDefault(t => t.Extension == extension);
}

/// <summary>What an upload turned out to be.</summary>
public abstract record InspectedImage
{
    /// <param name="Variants">Resized copies, narrowest first, each encoded in the original's type without metadata.</param>
    public sealed record Accepted(MediaType Type, int Width, int Height, IReadOnlyList<ImageVariant> Variants) : InspectedImage;

    /// <summary>Not an image of an accepted type, judged by its bytes (415).</summary>
    public sealed record UnsupportedType(string Detail) : InspectedImage;

    /// <summary>An accepted type that cannot be used: damaged, or too many pixels (422).</summary>
    public sealed record Unusable(string Detail) : InspectedImage;
}

public sealed record ImageVariant(int Width, int Height, byte[] Bytes);

/// <summary>
/// The rules of an uploaded image. The type comes from the bytes, never from the name or the
/// client's content type: the signature must be JPEG, PNG or WebP, and libvips's own loader must
/// agree. SVG and GIF are refused (SVG can carry script; neither is needed for photographs).
/// The pixel count is read from the header before anything is decoded (a few kilobytes can
/// declare a gigapixel image), then the whole image is decoded, failing on any error, so a
/// truncated or corrupt file is refused instead of stored. Resized copies are made for each
/// configured width narrower than the image, with metadata stripped (phone photos carry GPS).
/// </summary>
public static class ImageInspector
{
    public static InspectedImage Inspect(byte[] bytes, long maxPixels, IReadOnlyList<int> variantWidths)
    {
        if (Sniff(bytes) is not { } type)
        {
            return new InspectedImage.UnsupportedType("The file is not a JPEG, PNG or WebP image (judged by its content, not its name).");
        }

        try
        {
            using var header = Image.NewFromBuffer(bytes, access: Enums.Access.Sequential, failOn: Enums.FailOn.Error);
            if (!((string)header.Get("vips-loader")).StartsWith(type.Loader, StringComparison.Ordinal))
            {
                return new InspectedImage.UnsupportedType($"The file starts like {type.ContentType} but does not decode as one.");
            }

            if ((long)header.Width * header.Height > maxPixels)
            {
                return new InspectedImage.Unusable($"The image has {header.Width} × {header.Height} pixels; at most {maxPixels:N0} are accepted.");
            }

            var width = header.Width;
            var height = header.Height;
            // Decodes every pixel: a damaged file fails here, before anything is written.
            _ = header.Avg();
            var variants = variantWidths.Where(w => w < width).Order().Select(w => Resize(bytes, w, type)).ToList();
            return new InspectedImage.Accepted(type, width, height, variants);
        }
        catch (VipsException error)
        {
            return new InspectedImage.Unusable("The image is damaged or incomplete: " + FirstLine(error.Message));
        }
    }

    /// <summary>The accepted type whose signature the bytes start with.</summary>
    public static MediaType? Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return MediaType.Jpeg;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return MediaType.Png;
        }

        return bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8) ? MediaType.WebP : null;
    }

    private static ImageVariant Resize(byte[] bytes, int width, MediaType type)
    {
        using var resized = Image.ThumbnailBuffer(bytes, width, height: 100_000, size: Enums.Size.Down);
        var options = type == MediaType.Png ? "[keep=none]" : "[Q=82,keep=none]";
        return new ImageVariant(resized.Width, resized.Height, resized.WriteToBuffer("." + type.Extension + options));
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
