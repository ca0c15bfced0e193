using MestresCafe.Api.Security;
using MestresCafe.Data.Admin;
using MestresCafe.Data.Audit;
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
        HttpContext http, string action, string table, Func<WriteScope, CancellationToken, Task<WriteOutcome>> step);
}

/// <summary>
/// Runs one back-office write of plain records: its statements and its audit row in one
/// transaction. Constraint violations become 409/422/400 problem details, and nothing is committed
/// unless the whole step succeeded.
/// </summary>
public sealed class AuditedWriter(NpgsqlDataSource dataSource) : IAuditedWriter
{
    public async Task<(RowChange? Change, IResult? Problem)> RunAsync(
        HttpContext http, string action, string table, Func<WriteScope, CancellationToken, Task<WriteOutcome>> step)
    {
        var cancellationToken = http.RequestAborted;
        await using var scope = await WriteScope.BeginAsync(dataSource, cancellationToken);
        WriteOutcome outcome;
        try
        {
            outcome = await step(scope, cancellationToken);
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
        await scope.AuditAsync(new AuditEntry(action, table, change.Id, change.Old, change.New), AuditActors.From(http), cancellationToken);
        await scope.CommitAsync(cancellationToken);
        return (change, null);
    }
}
