using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Admin;

/// <summary>
/// One open back-office write: a connection and its transaction, begun by the audited writer and
/// handed to a store's methods, so every statement and the audit row commit together or not at
/// all. Outside this assembly it is only passed on: endpoints hold no connection.
/// </summary>
public sealed class WriteScope : IAsyncDisposable
{
    private WriteScope(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    internal NpgsqlConnection Connection { get; }

    internal NpgsqlTransaction Transaction { get; }

    public static async Task<WriteScope> BeginAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return new WriteScope(connection, await connection.BeginTransactionAsync(cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The audit row of the change, in the same transaction.</summary>
    public Task AuditAsync(AuditEntry entry, AuditActor actor, CancellationToken cancellationToken) =>
        AuditTrail.WriteAsync(Connection, Transaction, entry, actor, cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    /// <summary>Rolls back what was not committed and returns the connection to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
