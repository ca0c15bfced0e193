using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using NetVips;

namespace MestresCafe.Api.Tests.Media;

/// <summary>Images and upload requests for the media tests.</summary>
internal static class MediaTestFiles
{
    /// <summary>A picture with some detail (a gradient), so that it compresses like a photograph rather than to nothing.</summary>
    public static byte[] Picture(int width, int height, string format)
    {
        using var gradient = Image.Xyz(width, height);
        using var band = gradient[0];
        using var scaled = band * (255.0 / width);
        using var bytes = scaled.Cast(Enums.BandFormat.Uchar);
        return bytes.WriteToBuffer(format);
    }

    /// <summary>The SHA-256 of an upload, as the store names its files.</summary>
    public static string HashOf(byte[] uploaded) => Convert.ToHexStringLower(SHA256.HashData(uploaded));

    /// <summary>The back office's upload form: the file and what it illustrates.</summary>
    public static MultipartFormDataContent Upload(byte[] bytes, string fileName, string purpose)
    {
        var file = new ByteArrayContent(bytes);
        // The client's claim, which the server ignores in favour of the bytes.
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return new MultipartFormDataContent { { file, "file", fileName }, { new StringContent(purpose, Encoding.UTF8), "purpose" } };
    }
}
