using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using MestresCafe.Api.Media;
using MestresCafe.Data.Audit;
using NetVips;
using Npgsql;

namespace MestresCafe.Server.DemoData;

/// <summary>
/// Pictures for the demo store. sql/seed/demo.sql gives categories, brands, products, posts and
/// courses image paths under /images/ that no file backs; this draws a card for each (a colour of
/// its own and the item's name), stores it through the media pipeline like an upload (checked,
/// resized, named by content hash, audited) and points the rows at its media URL. The seed path is
/// kept as the asset's original name, so a restart finds the pictures already made and draws none.
/// </summary>
public sealed class DemoImages(NpgsqlDataSource dataSource, MediaLibrary media, ILogger<DemoImages> logger)
{
    private const string SeedPaths = "/images/%";
    private const int CardWidth = 800;
    private const int CardHeight = 600;

    /// <summary>Where the demo data puts image paths: the table, its URL column, the item's name, and what the picture illustrates.</summary>
    private static readonly ImageColumn[] Columns =
    [
        new("categories", "image_url", "name", "product", "Categoria"),
        new("brands", "logo_url", "name", "product", "Marca"),
        new("product_images", "image_url", "alt_text", "product", "Produto"),
        new("blog_posts", "featured_image", "title", "blog", "Blog"),
        new("courses", "featured_image", "title", "course", "Curso"),
    ];

    /// <summary>
    /// Before demo.sql runs again: rows pointed at demo pictures get their seed paths back, so the
    /// seed's upserts find them (product images are keyed by their URL, one primary per product).
    /// </summary>
    public static async Task RestoreSeedPathsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var made = await MadeAsync(connection, transaction, cancellationToken);
        if (made.Count > 0)
        {
            await RewriteAsync(connection, transaction, from: made.Select(m => m.Url).ToArray(), to: made.Select(m => m.Path).ToArray(), cancellationToken);
        }
    }

    /// <summary>Draws and stores the pictures not made before, then points every row still at a seed path at its picture.</summary>
    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var wanted = (await connection.QueryAsync<WantedImage>(new CommandDefinition(
            "select distinct on (path) path, title, purpose, kind from ("
            + string.Join(" union all ", Columns.Select(c =>
                $"select {c.Column} as path, {c.Title} as title, '{c.Purpose}' as purpose, '{c.Kind}' as kind from {c.Table} where {c.Column} like @SeedPaths"))
            + ") wanted order by path, kind", new { SeedPaths }, cancellationToken: cancellationToken))).AsList();
        var made = (await MadeAsync(connection, null, cancellationToken)).ToDictionary(m => m.Path, m => m.Url);
        var missing = wanted.Where(w => !made.ContainsKey(w.Path)).ToList();
        var drawn = new ConcurrentDictionary<string, string>();
        // Drawing is processor work (text layout, JPEG encoding, the resized copy): one card per core at a time.
        await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (image, token) =>
            {
                var card = Card(image.Title, image.Kind, image.Path);
                if (media.Inspect(card) is not InspectedImage.Accepted accepted)
                {
                    throw new InvalidOperationException($"The demo picture for {image.Path} was refused by the media pipeline.");
                }

                var (asset, _) = await media.StoreAsync(card, accepted, image.Purpose, image.Path, AuditActor.System, token);
                drawn[image.Path] = MediaLibrary.Url(asset.Sha256, asset.ContentType);
            });
        foreach (var (path, url) in drawn)
        {
            made[path] = url;
        }

        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await RewriteAsync(connection, transaction, from: [.. made.Keys], to: [.. made.Values], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        logger.LogInformation("Demo pictures: {Drawn} drawn, {Reused} reused, in {Elapsed} ms", drawn.Count, wanted.Count - drawn.Count, clock.ElapsedMilliseconds);
    }

    /// <summary>The demo pictures stored so far: their seed path (the asset's original name) and media URL.</summary>
    private static async Task<List<MadeImage>> MadeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Path, string Sha256, string ContentType)>(new CommandDefinition(
            "select original_name, sha256, content_type from media_assets where original_name like @SeedPaths",
            new { SeedPaths }, transaction, cancellationToken: cancellationToken));
        return rows.Select(r => new MadeImage(r.Path, MediaLibrary.Url(r.Sha256, r.ContentType))).ToList();
    }

    private static async Task RewriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] from, string[] to, CancellationToken cancellationToken)
    {
        foreach (var c in Columns)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"update {c.Table} set {c.Column} = m.replacement from unnest(@from, @to) m(original, replacement) where {c.Table}.{c.Column} = m.original",
                new { from, to }, transaction, cancellationToken: cancellationToken));
        }
    }

    /// <summary>A JPEG card: a colour taken from the seed path, the item's name and what it is. Two paths never share a card.</summary>
    internal static byte[] Card(string title, string kind, string path)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(path));
        double[] colour = [70 + (hash[0] % 120), 40 + (hash[1] % 100), 20 + (hash[2] % 80)];
        using var background = Image.Black(CardWidth, CardHeight).NewFromImage(colour).Cast(Enums.BandFormat.Uchar);
        // The path's file name too, so that two items of the same name still get different bytes.
        var markup = $"<span size='x-large'><b>{SecurityElement.Escape(title)}</b></span>\n\n{SecurityElement.Escape(kind)} · {SecurityElement.Escape(Path.GetFileName(path))}";
        using var text = Image.Text(markup, font: "sans 14", width: CardWidth - 80, dpi: 96, align: Enums.Align.Centre);
        using var centred = text.Gravity(Enums.CompassDirection.Centre, CardWidth, CardHeight);
        using var card = centred.Ifthenelse(new double[] { 255, 250, 240 }, background, blend: true);
        return card.JpegsaveBuffer(q: 85, keep: Enums.ForeignKeep.None);
    }

    private sealed record ImageColumn(string Table, string Column, string Title, string Purpose, string Kind);

    private sealed record WantedImage(string Path, string Title, string Purpose, string Kind);

    private sealed record MadeImage(string Path, string Url);
}
