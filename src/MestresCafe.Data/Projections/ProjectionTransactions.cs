using System.Threading.Channels;
using Npgsql;

namespace MestresCafe.Data.Projections;

/// <summary>
/// Group commit for projections: the projection work of every grain on this server (an order's
/// rows, an item's counters and movements, a cart's lines, a loyalty account's rows...) goes through
/// one queue, and the work that arrives while a transaction is committing runs together as the next
/// one, each piece after the other on one connection, committed once. An idle server runs a piece at
/// once (a transaction of one), so nothing waits for a timer; under load, a checkout's half-dozen
/// projection transactions are shared with other checkouts' instead of costing one each.
/// </summary>
/// <remarks>
/// A piece completes only after its transaction committed. When any piece of a shared transaction
/// fails (a refused row, a deadlock, an outage), the transaction is rolled back and every piece is
/// run again in a transaction of its own, so that a piece fails only for its own reason and the
/// others land: projections are idempotent (keyed by event id, guarded by state versions), so
/// running a piece again changes nothing it already did. Pieces must do nothing but database work
/// on the connection they are given; what follows a commit (telling the storefront, say) happens
/// once <see cref="RunAsync{T}"/> returned.
/// <para>
/// One shared transaction of an instance is in flight at a time: two would lock rows that pieces of
/// both touch (the reporting rollups' shard rows, a customer's summary) in opposite orders and
/// deadlock. The server runs two instances, orders' and the other grains' (see
/// <c>Projections:SeparateOrderLine</c>), whose pieces share no such rows.
/// </para>
/// </remarks>
public sealed class ProjectionTransactions : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<Piece>? _queue;
    private readonly int _maxPieces;
    private readonly Task _loop = Task.CompletedTask;
    private long _transactions;
    private long _pieces;

    /// <param name="share">False: every piece in a transaction of its own (the path before sharing, kept so both can be measured).</param>
    public ProjectionTransactions(NpgsqlDataSource dataSource, bool share = true, int maxPieces = 64)
    {
        _dataSource = dataSource;
        _maxPieces = Math.Max(1, maxPieces);
        if (share)
        {
            _queue = Channel.CreateUnbounded<Piece>(new UnboundedChannelOptions { SingleReader = true });
            _loop = Task.Run(RunLoopAsync);
        }
    }

    /// <summary>Every piece in a transaction of its own: for tools and tests that use a store alone.</summary>
    public static ProjectionTransactions OneEach(NpgsqlDataSource dataSource) => new(dataSource, share: false);

    /// <summary>Transactions committed (or failed) and the pieces they carried, since the server started.</summary>
    public (long Transactions, long Pieces) Counts => (Interlocked.Read(ref _transactions), Interlocked.Read(ref _pieces));

    /// <summary>Runs <paramref name="work"/> in a projection transaction; completes once that transaction committed.</summary>
    public Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var piece = new Piece<T>(work, cancellationToken);
        if (_queue is not null && _queue.Writer.TryWrite(piece))
        {
            return piece.Completion.Task;
        }

        // Not shared, or the server is stopping: the piece runs alone.
        return AloneAsync();

        async Task<T> AloneAsync()
        {
            await RunAloneAsync(piece);
            return await piece.Completion.Task;
        }
    }

    public Task RunAsync(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync(async (connection, transaction, token) =>
        {
            await work(connection, transaction, token);
            return true;
        }, cancellationToken);

    private async Task RunLoopAsync()
    {
        var reader = _queue!.Reader;
        while (await reader.WaitToReadAsync())
        {
            var pieces = new List<Piece>();
            while (pieces.Count < _maxPieces && reader.TryRead(out var piece))
            {
                if (piece.Token.IsCancellationRequested)
                {
                    piece.Cancel();
                }
                else
                {
                    pieces.Add(piece);
                }
            }

            if (pieces.Count == 1)
            {
                await RunAloneAsync(pieces[0]);
            }
            else if (pieces.Count > 1)
            {
                await RunSharedAsync(pieces);
            }
        }
    }

    private async Task RunSharedAsync(List<Piece> pieces)
    {
        Count(pieces.Count);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var piece in pieces)
            {
                // Not the piece's own token: one caller giving up must not abort the others' work.
                await piece.RunAsync(connection, transaction, CancellationToken.None);
            }

            await transaction.CommitAsync();
        }
        catch (Exception)
        {
            // Which piece failed, and whether the others would have committed, is found by running
            // each alone (an ambiguous commit included: the pieces are idempotent).
            foreach (var piece in pieces)
            {
                await RunAloneAsync(piece);
            }

            return;
        }

        foreach (var piece in pieces)
        {
            piece.Complete();
        }
    }

    private async Task RunAloneAsync(Piece piece)
    {
        Count(1);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(piece.Token);
            await using var transaction = await connection.BeginTransactionAsync(piece.Token);
            await piece.RunAsync(connection, transaction, piece.Token);
            await transaction.CommitAsync(piece.Token);
        }
        catch (Exception error)
        {
            piece.Fail(error);
            return;
        }

        piece.Complete();
    }

    private void Count(int pieces)
    {
        Interlocked.Increment(ref _transactions);
        Interlocked.Add(ref _pieces, pieces);
    }

    public async ValueTask DisposeAsync()
    {
        // Pieces already queued still run (and answer their grains) before the server's pool goes.
        _queue?.Writer.TryComplete();
        await _loop;
    }

    private abstract class Piece(CancellationToken token)
    {
        public CancellationToken Token { get; } = token;
        public abstract Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);
        public abstract void Complete();
        public abstract void Fail(Exception error);
        public abstract void Cancel();
    }

    private sealed class Piece<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken token) : Piece(token)
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
            _result = await work(connection, transaction, cancellationToken);

        public override void Complete() => Completion.TrySetResult(_result!);
        public override void Fail(Exception error) => Completion.TrySetException(error);
        public override void Cancel() => Completion.TrySetCanceled(Token);
    }
}
