using System.Text;

namespace MestresCafe.Grains.Storage;

/// <summary>
/// A grain id split the way the ADO.NET grain storage stores it (the <c>grainidn0</c>,
/// <c>grainidn1</c> and <c>grainidextensionstring</c> columns) with the bytes it hashes into
/// <c>grainidhash</c>. The batched write path must produce exactly the row the provider's own reads
/// look up, so this follows the provider's layout: an integer key in N1; a Guid key as its two
/// little-endian halves; a string key in the extension column alone; a key extension, if any, in the
/// extension column. Hash bytes: the key's bytes, then the extension's UTF-8, reversed on
/// little-endian machines. GrainStateWriteBatchingTests proves the rows are the provider's.
/// </summary>
internal readonly record struct AdoNetGrainKey(long N0, long N1, string? Extension, byte[] HashBytes)
{
    public static AdoNetGrainKey From(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            var bytes = guid.ToByteArray();
            return new AdoNetGrainKey(BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), guidExtension, Hashed(bytes, guidExtension));
        }

        if (grainId.TryGetIntegerKey(out var integer, out var integerExtension))
        {
            return new AdoNetGrainKey(0, integer, integerExtension, Hashed(BitConverter.GetBytes(integer), integerExtension));
        }

        var key = grainId.Key.ToString();
        return new AdoNetGrainKey(0, 0, key, Hashed(Encoding.UTF8.GetBytes(key), extension: null));
    }

    private static byte[] Hashed(byte[] key, string? extension)
    {
        var bytes = extension is null ? key : [.. key, .. Encoding.UTF8.GetBytes(extension)];
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return bytes;
    }
}
