using System.Security.Claims;
using System.Text.Json;
using MestresCafe.Api.Security;
using Microsoft.AspNetCore.Http;
using Npgsql;
using NpgsqlTypes;

namespace MestresCafe.Api.Audit;

/// <summary>
/// Writes audit_logs rows: who (user, IP, user agent) did what to which record, with old and new
/// values. Called inside the transaction of the change it records, so the two commit together.
/// </summary>
public static class AuditLog
{
    public static async Task WriteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        HttpContext http,
        string action,
        string? table,
        long? recordId,
        object? oldValues,
        object? newValues,
        CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(
            """
            insert into audit_logs (action, table_name, record_id, old_values, new_values, user_id, ip_address, user_agent)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = (object?)table ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)recordId ?? DBNull.Value });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = Json(oldValues) });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = Json(newValues) });
        command.Parameters.Add(new() { Value = UserIdOf(http.User) ?? (object)DBNull.Value });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Inet, Value = (object?)http.Connection.RemoteIpAddress ?? DBNull.Value });
        command.Parameters.Add(new() { Value = http.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object Json(object? value) => value is null ? DBNull.Value : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    private static long? UserIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst(MestresClaims.UserId) is not null ? user.GetUserId() : null;
}
