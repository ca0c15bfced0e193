using MestresCafe.Api.Security;
using MestresCafe.Data.Audit;
using Microsoft.AspNetCore.Http;

namespace MestresCafe.Api.Audit;

/// <summary>
/// Audit rows of an endpoint's change, by the request's actor (<see cref="AuditActors"/>). A
/// relational change is audited in its own transaction: a store that owns the transaction takes
/// the <see cref="AuditActor"/> and writes the row with <see cref="AuditTrail"/>, and a back-office
/// CRUD write goes through the AuditedWriter. A grain's change is audited through
/// <see cref="AuditJournal"/>, which holds its own connection.
/// </summary>
public static class AuditLog
{
    /// <summary>
    /// The audit row of a change a grain made (its state write, which no relational transaction can
    /// span), on a connection of its own, by the request's actor.
    /// </summary>
    public static Task WriteAsync(
        this AuditJournal journal,
        HttpContext http,
        string action,
        string? table,
        long? recordId,
        object? oldValues,
        object? newValues,
        CancellationToken cancellationToken = default) =>
        journal.WriteAsync(new AuditEntry(action, table, recordId, oldValues, newValues), AuditActors.From(http), cancellationToken);
}
