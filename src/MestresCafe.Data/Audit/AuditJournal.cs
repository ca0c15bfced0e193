using Npgsql;

namespace MestresCafe.Data.Audit;

/// <summary>
/// Writes one audit_logs row on a connection of its own, for a change that committed elsewhere: a
/// grain's state write, which no relational transaction can span. A change a store makes in its
/// own transaction is audited there instead, with <see cref="AuditTrail"/>.
/// </summary>
public sealed class AuditJournal(NpgsqlDataSource dataSource)
{
    public async Task WriteAsync(AuditEntry entry, AuditActor actor, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await AuditTrail.WriteAsync(connection, null, entry, actor, cancellationToken);
    }
}
