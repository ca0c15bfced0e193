using System.Net;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace MestresCafe.Data.Audit;

/// <summary>Who acted: the signed-in user (null for an anonymous request) and where the request came from.</summary>
public sealed record AuditActor(long? UserId, IPAddress? Ip, string? UserAgent)
{
    /// <summary>No request behind the change (a background job, a test).</summary>
    public static readonly AuditActor System = new(null, null, null);
}

/// <summary>One audit_logs row: what was done to which record, with the values before and after (serialized as JSON).</summary>
public sealed record AuditEntry(string Action, string? Table, long? RecordId, object? OldValues, object? NewValues);

/// <summary>
/// Writes audit_logs rows. Always inside the transaction of the change it records, so the two
/// commit together; the actor is a value, so this knows nothing of HTTP or of how a user signed in.
/// </summary>
public static class AuditTrail
{
    public static Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, AuditEntry entry, AuditActor actor, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            insert into audit_logs (action, table_name, record_id, old_values, new_values, user_id, ip_address, user_agent)
            values (@Action, @Table, @RecordId, @OldValues::jsonb, @NewValues::jsonb, @UserId, @Ip, @UserAgent)
            """,
            new
            {
                entry.Action,
                entry.Table,
                entry.RecordId,
                OldValues = Json(entry.OldValues),
                NewValues = Json(entry.NewValues),
                actor.UserId,
                actor.Ip,
                actor.UserAgent,
            },
            transaction,
            cancellationToken: cancellationToken));

    private static string? Json(object? value) => value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
