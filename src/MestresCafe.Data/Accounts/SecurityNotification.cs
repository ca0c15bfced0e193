using System.Text.Json;
using Dapper;

namespace MestresCafe.Data.Accounts;

/// <summary>An account message: its text never holds the token, the sealed link does.</summary>
public sealed record SecurityMessage(string Kind, string Title, string Content, string? SealedLink);

/// <summary>
/// The 'security' notification for the active account with an e-mail, if there is one, and the
/// e-mail that delivers it (outbound_messages, template named by the message's kind, keyed by the
/// notification's event id; the link stays sealed until the sender opens it): the same statement
/// runs whether or not the account exists, so that the work done does not tell. It is appended to
/// another statement of the caller, one round trip for all.
/// </summary>
internal static class SecurityNotification
{
    public const string Insert =
        """
        with notice as (
            insert into notifications (user_id, type, title, content, data, expires_at)
            select id, 'security', @NoticeTitle, @NoticeContent, @NoticeData::jsonb, now() + @NoticeLifetime
            from users where email = @NoticeEmail and is_active
            returning user_id, event_id, data
        )
        insert into outbound_messages (message_id, template, user_id, recipient, data)
        select n.event_id, @NoticeKind, u.id, u.email,
               (n.data - 'kind') || jsonb_build_object('first_name', coalesce(u.first_name, ''), 'hours', ceil(extract(epoch from @NoticeLifetime) / 3600)::int)
        from notice n join users u on u.id = n.user_id
        """;

    /// <summary>The caller's parameters plus the notification's.</summary>
    public static DynamicParameters Parameters(object statement, string email, SecurityMessage message, TimeSpan lifetime)
    {
        var parameters = new DynamicParameters(statement);
        parameters.AddDynamicParams(new
        {
            NoticeEmail = email,
            NoticeTitle = message.Title,
            NoticeContent = message.Content,
            NoticeData = JsonSerializer.Serialize(new Dictionary<string, string?> { ["kind"] = message.Kind, ["sealed_link"] = message.SealedLink }),
            NoticeLifetime = lifetime,
            NoticeKind = message.Kind,
        });
        return parameters;
    }
}
