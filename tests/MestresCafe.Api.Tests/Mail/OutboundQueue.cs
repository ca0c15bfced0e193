using MestresCafe.Api.Tests.Infrastructure;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Mail;

/// <summary>Reads and writes outbound_messages the way the tests need: queue a message, wait for its outcome.</summary>
internal static class OutboundQueue
{
    /// <summary>Queues a 'registration_attempt' message (it needs only a first name) to <paramref name="recipient"/>.</summary>
    public static Task<Guid> EnqueueAsync(ApiTestHost host, string recipient, string firstName = "Ana") =>
        host.Database.ScalarAsync<Guid>(
            """
            insert into outbound_messages (message_id, template, recipient, data)
            values (gen_random_uuid(), 'registration_attempt', $1, jsonb_build_object('first_name', $2::text)) returning message_id
            """, recipient, firstName);

    public static Task<string> StatusAsync(ApiTestHost host, Guid messageId) =>
        host.Database.ScalarAsync<string>("select status from outbound_messages where message_id = $1", messageId);

    public static async Task<bool> AllSentAsync(ApiTestHost host, IEnumerable<Guid> messageIds)
    {
        var ids = messageIds.ToArray();
        return await host.Database.ScalarAsync<long>(
            "select count(*) from outbound_messages where message_id = any($1) and status = 'sent'", ids) == ids.Length;
    }

    public static Task<bool> WaitAllSentAsync(ApiTestHost host, IEnumerable<Guid> messageIds) =>
        Eventually.TrueAsync(() => AllSentAsync(host, messageIds), TimeSpan.FromSeconds(30));

    public static string NewRecipient() => $"cliente.{Guid.NewGuid():N}@example.com.br";
}
