using MestresCafe.Api.Security;
using MestresCafe.Data.Audit;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace MestresCafe.Api.Audit;

/// <summary>
/// Writes an audit_logs row for an endpoint's change, inside the transaction of that change so the
/// two commit together: the actor is read from the request (<see cref="AuditActors"/>), the row
/// is written by <see cref="AuditTrail"/>. Stores that own their transaction take the
/// <see cref="AuditActor"/> and write the row themselves; a grain's change is audited through
/// <see cref="AuditJournal"/>, which holds its own connection.
/// </summary>
public static class AuditLog
{
    public static Task WriteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        HttpContext http,
        string action,
        string? table,
        long? recordId,
        object? oldValues,
        object? newValues,
        CancellationToken cancellationToken = default) =>
        AuditTrail.WriteAsync(connection, transaction, new AuditEntry(action, table, recordId, oldValues, newValues), AuditActors.From(http), cancellationToken);

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
