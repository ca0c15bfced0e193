using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Media;

public sealed record MediaVariantRow
{
    public int Width { get; init; }
    public int Height { get; init; }
    public int ByteSize { get; init; }
}

/// <summary>A stored file as its name describes it.</summary>
public sealed record MediaFileKey(string Name, string Sha256, int? Width, string ContentType);

public sealed record MediaAssetRow
{
    public long Id { get; init; }
    public string Sha256 { get; init; } = "";
    public string ContentType { get; init; } = "";
    public string Purpose { get; init; } = "";
    public string? OriginalName { get; init; }
    public int ByteSize { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<MediaVariantRow> Variants { get; init; } = [];
}

/// <summary>media_assets: one row per distinct file (by content hash), its variants, and the audit row of an upload.</summary>
public sealed class MediaAssetStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, sha256, content_type, purpose, original_name, byte_size, width, height, created_at";

    /// <summary>
    /// Records the asset with its variants and an audit row in one transaction; when the same bytes
    /// were uploaded before, changes nothing and answers the first upload's row (Created false).
    /// </summary>
    public async Task<(MediaAssetRow Asset, bool Created)> AddAsync(MediaAssetRow asset, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            insert into media_assets (sha256, content_type, purpose, original_name, byte_size, width, height, uploaded_by)
            values (@Sha256, @ContentType, @Purpose, @OriginalName, @ByteSize, @Width, @Height, @uploadedBy)
            on conflict (sha256) do nothing
            returning id
            """,
            new { asset.Sha256, asset.ContentType, asset.Purpose, asset.OriginalName, asset.ByteSize, asset.Width, asset.Height, uploadedBy = actor.UserId },
            transaction, cancellationToken: cancellationToken));
        if (id is { } created)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into media_asset_variants (asset_id, width, height, byte_size) select @created, * from unnest(@widths, @heights, @sizes)",
                new
                {
                    created,
                    widths = asset.Variants.Select(v => v.Width).ToArray(),
                    heights = asset.Variants.Select(v => v.Height).ToArray(),
                    sizes = asset.Variants.Select(v => v.ByteSize).ToArray(),
                },
                transaction, cancellationToken: cancellationToken));
            await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("media.upload", "media_assets", created, null,
                new { asset.Sha256, asset.ContentType, asset.Purpose, asset.ByteSize, asset.Width, asset.Height }), actor, cancellationToken);
        }

        var row = await ReadAsync(connection, transaction, "sha256 = @key", asset.Sha256, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (row!, id is not null);
    }

    public async Task<MediaAssetRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAsync(connection, null, "id = @key", id, cancellationToken);
    }

    /// <summary>
    /// Which of these files no row accounts for: no asset of that hash and type, or (a resized
    /// copy) no variant of that width. Each file is its name with the hash, width (null for the
    /// original) and content type the name stands for.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnrecordedAsync(IReadOnlyList<MediaFileKey> files, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            """
            select f.name from unnest(@names, @hashes, @widths, @types) f(name, sha256, width, content_type)
            where not exists (
                select 1 from media_assets a
                where a.sha256 = f.sha256 and a.content_type = f.content_type
                  and (f.width is null or exists (select 1 from media_asset_variants v where v.asset_id = a.id and v.width = f.width)))
            """,
            new
            {
                names = files.Select(f => f.Name).ToArray(),
                hashes = files.Select(f => f.Sha256).ToArray(),
                widths = files.Select(f => f.Width).ToArray(),
                types = files.Select(f => f.ContentType).ToArray(),
            },
            cancellationToken: cancellationToken))).AsList();
    }

    private static async Task<MediaAssetRow?> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string where, object key, CancellationToken cancellationToken)
    {
        var asset = await connection.QuerySingleOrDefaultAsync<MediaAssetRow>(new CommandDefinition(
            $"select {Columns} from media_assets where {where}", new { key }, transaction, cancellationToken: cancellationToken));
        if (asset is null)
        {
            return null;
        }

        var variants = await connection.QueryAsync<MediaVariantRow>(new CommandDefinition(
            "select width, height, byte_size from media_asset_variants where asset_id = @Id order by width", new { asset.Id }, transaction,
            cancellationToken: cancellationToken));
        return asset with { Variants = variants.AsList() };
    }
}
