using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Data.GrainState;

/// <summary>
/// One grain state write, with the parameters of the ADO.NET grain storage's <c>WriteToStorageKey</c>
/// query (migration 0003): the grain's identity as the provider hashes and splits it, the ETag the
/// grain holds (null before its first write) and the serialized state.
/// </summary>
public sealed record GrainStateWrite(
    string ServiceId,
    int GrainTypeHash,
    string GrainTypeString,
    int GrainIdHash,
    long GrainIdN0,
    long GrainIdN1,
    string? GrainIdExtensionString,
    int? GrainStateVersion,
    byte[] Payload);

/// <summary>
/// Runs many grains' state writes as one PostgreSQL transaction: every write is the provider's own
/// <c>WriteToStorageKey</c> statement (read from <c>orleansquery</c>, so both paths run the same SQL),
/// sent together as one <see cref="NpgsqlBatch"/>, which PostgreSQL runs as one implicit transaction.
/// A write whose ETag no longer matches returns no row and leaves the others alone; an error
/// rolls back the whole batch, and every write in it fails.
/// </summary>
public sealed class GrainStateBatchStore(NpgsqlDataSource dataSource)
{
    private string? _writeQuery;

    /// <summary>The new version of each write, in order; null where the ETag did not match (a version conflict).</summary>
    public async Task<int?[]> WriteAsync(IReadOnlyList<GrainStateWrite> writes, CancellationToken cancellationToken)
    {
        var query = _writeQuery ??= await LoadWriteQueryAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var write in writes)
        {
            batch.BatchCommands.Add(ToCommand(query, write));
        }

        var versions = new int?[writes.Count];
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var index = 0; index < writes.Count; index++)
        {
            if (index > 0 && !await reader.NextResultAsync(cancellationToken))
            {
                throw new InvalidOperationException($"The grain state batch returned {index} results for {writes.Count} writes.");
            }

            versions[index] = await reader.ReadAsync(cancellationToken) ? reader.GetInt32(0) : null;
        }

        return versions;
    }

    private static NpgsqlBatchCommand ToCommand(string query, GrainStateWrite write)
    {
        var command = new NpgsqlBatchCommand(query);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<int>("GrainIdHash", NpgsqlDbType.Integer) { TypedValue = write.GrainIdHash });
        parameters.Add(new NpgsqlParameter<long>("GrainIdN0", NpgsqlDbType.Bigint) { TypedValue = write.GrainIdN0 });
        parameters.Add(new NpgsqlParameter<long>("GrainIdN1", NpgsqlDbType.Bigint) { TypedValue = write.GrainIdN1 });
        parameters.Add(new NpgsqlParameter<int>("GrainTypeHash", NpgsqlDbType.Integer) { TypedValue = write.GrainTypeHash });
        parameters.Add(new NpgsqlParameter("GrainTypeString", NpgsqlDbType.Text) { Value = write.GrainTypeString });
        parameters.Add(new NpgsqlParameter("GrainIdExtensionString", NpgsqlDbType.Text) { Value = (object?)write.GrainIdExtensionString ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter("ServiceId", NpgsqlDbType.Text) { Value = write.ServiceId });
        parameters.Add(new NpgsqlParameter("GrainStateVersion", NpgsqlDbType.Integer) { Value = (object?)write.GrainStateVersion ?? DBNull.Value });
        parameters.Add(new NpgsqlParameter<byte[]>("PayloadBinary", NpgsqlDbType.Bytea) { TypedValue = write.Payload });
        return command;
    }

    private async Task<string> LoadWriteQueryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select querytext from orleansquery where querykey = 'WriteToStorageKey'", connection);
        return (string?)await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new InvalidOperationException("orleansquery holds no WriteToStorageKey: the database is not migrated.");
    }
}
