using System.Text.Json;
using Dapper;

namespace MestresCafe.Data.Accounts;

/// <summary>An account message: its text never holds the token, the sealed link does.</summary>
public sealed record SecurityMessage(string Kind, string Title, string Content, string? SealedLink);

/// <summary>
/// The 'security' notification (the outbox a mailer reads) for the active account with an e-mail,
/// if there is one: the same statement runs whether or not the account exists, so that the work
/// done does not tell. It is appended to another statement of the caller, one round trip for both.
/// </summary>
internal static class SecurityNotification
{
    public const string Insert =
        """
        insert into notifications (user_id, type, title, content, data, expires_at)
        select id, 'security', @NoticeTitle, @NoticeContent, @NoticeData::jsonb, now() + @NoticeLifetime
        from users where email = @NoticeEmail and is_active
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
        });
        return parameters;
    }
}
