using MestresCafe.Api.Audit;
using MestresCafe.Data.Admin;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace MestresCafe.Api.Admin;

/// <summary>What a write step decided: the change to audit, or a problem to answer with (nothing is committed then).</summary>
public sealed record WriteOutcome(RowChange? Change, IResult? Problem)
{
    public static WriteOutcome Done(RowChange? change) => new(change, null);

    public static WriteOutcome Fail(IResult problem) => new(null, problem);
}

/// <summary>Runs one relational write with its audit row, as one transaction.</summary>
public interface IAuditedWriter
{
    Task<(RowChange? Change, IResult? Problem)> RunAsync(
        HttpContext http, string action, string table, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<WriteOutcome>> step);
}

/// <summary>
/// Runs one back-office write of plain records: its statements and its audit row in one
/// transaction. Constraint violations become 409/422/400 problem details, and nothing is committed
/// unless the whole step succeeded.
/// </summary>
public sealed class AuditedWriter(NpgsqlDataSource dataSource) : IAuditedWriter
{
    public async Task<(RowChange? Change, IResult? Problem)> RunAsync(
        HttpContext http, string action, string table, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<WriteOutcome>> step)
    {
        var cancellationToken = http.RequestAborted;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        WriteOutcome outcome;
        try
        {
            outcome = await step(connection, transaction, cancellationToken);
        }
        catch (PostgresException error) when (ConstraintProblems.TryMap(error) is { } problem)
        {
            return (null, problem);
        }

        if (outcome.Problem is not null || outcome.Change is null)
        {
            return (null, outcome.Problem ?? Problems.NotFound("Not found."));
        }

        var change = outcome.Change;
        await AuditLog.WriteAsync(connection, transaction, http, action, table, change.Id, change.Old, change.New, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (change, null);
    }
}
