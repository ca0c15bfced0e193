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
    /// <param name="Stored">The full-size image as stored and served: turned upright and re-encoded without metadata.</param>
    /// <param name="Variants">Resized copies, narrowest first, encoded the same way.</param>
    public sealed record Accepted(MediaType Type, int Width, int Height, byte[] Stored, IReadOnlyList<ImageVariant> Variants) : InspectedImage;

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
/// truncated or corrupt file is refused instead of stored. What is stored is not the upload's
/// bytes: the image is turned upright (EXIF orientation) and re-encoded without metadata (a phone
/// photo carries the place it was taken, which a public URL must not give away); the dimensions
/// recorded are the upright ones. Resized copies are made the same way for each configured width
/// narrower than the image.
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

            // Decodes every pixel: a damaged file fails here, before anything is written.
            using var full = Image.NewFromBuffer(bytes, failOn: Enums.FailOn.Error);
            using var upright = full.Autorot();
            var stored = upright.WriteToBuffer("." + type.Extension + Encoding(type));
            var variants = variantWidths.Where(w => w < upright.Width).Order().Select(w => Resize(bytes, w, type)).ToList();
            return new InspectedImage.Accepted(type, upright.Width, upright.Height, stored, variants);
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
        // Turns the image upright by itself (its EXIF orientation).
        using var resized = Image.ThumbnailBuffer(bytes, width, height: 100_000, size: Enums.Size.Down, failOn: Enums.FailOn.Error);
        return new ImageVariant(resized.Width, resized.Height, resized.WriteToBuffer("." + type.Extension + Encoding(type)));
    }

    /// <summary>No metadata kept; lossy types at a quality where re-encoding is not visible.</summary>
    private static string Encoding(MediaType type) => type == MediaType.Png ? "[keep=none]" : "[Q=88,keep=none]";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
