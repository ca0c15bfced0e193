namespace MestresCafe.DevMail;

/// <summary>
/// A maildir (tmp/, new/, cur/): each message is written to tmp/ and renamed into new/, so a reader
/// never sees half a message. Names start with the delivery time, so listing by name is in order.
/// </summary>
public sealed class Maildir
{
    public Maildir(string path)
    {
        Path = path;
        foreach (var folder in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(System.IO.Path.Combine(path, folder));
        }
    }

    public string Path { get; }

    public async Task<string> DeliverAsync(byte[] message, CancellationToken cancellationToken)
    {
        var name = $"{DateTime.UtcNow:yyyyMMddHHmmssfffffff}.{Guid.NewGuid():N}.eml";
        var temporary = System.IO.Path.Combine(Path, "tmp", name);
        await File.WriteAllBytesAsync(temporary, message, cancellationToken);
        var delivered = System.IO.Path.Combine(Path, "new", name);
        File.Move(temporary, delivered);
        return delivered;
    }

    /// <summary>The delivered messages' files, oldest first.</summary>
    public IReadOnlyList<string> Messages() =>
        Directory.GetFiles(System.IO.Path.Combine(Path, "new"), "*.eml").Order(StringComparer.Ordinal).ToList();
}
