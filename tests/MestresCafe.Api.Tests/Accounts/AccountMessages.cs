using MestresCafe.Api.Accounts;
using MestresCafe.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MestresCafe.Api.Tests.Accounts;

/// <summary>Reads account messages the way a mailer would: the newest notification of a kind, its link opened with the server's key.</summary>
internal static class AccountMessages
{
    public static async Task<string> TokenFromLinkAsync(ApiTestHost host, string email, string kind, string path)
    {
        var sealedLink = await host.Database.ScalarAsync<string>(
            """
            select n.data->>'sealed_link' from notifications n join users u on u.id = n.user_id
            where u.email = $1 and n.type = 'security' and n.data->>'kind' = $2 order by n.id desc limit 1
            """, email, kind);
        var link = host.Services.GetRequiredService<AccountLinks>().Open(sealedLink);
        Assert.StartsWith(path + "?token=", link, StringComparison.Ordinal);
        return link[(path.Length + "?token=".Length)..];
    }

    /// <summary>How many rows of the tables a token could hide in hold it in clear, in any column.</summary>
    public static Task<long> RowsHoldingAsync(ApiTestHost host, string token) =>
        host.Database.ScalarAsync<long>(
            """
            select (select count(*) from notifications n where strpos(n::text, $1) > 0)
                 + (select count(*) from password_resets r where strpos(r::text, $1) > 0)
                 + (select count(*) from users u where strpos(u::text, $1) > 0)
                 + (select count(*) from audit_logs a where strpos(a::text, $1) > 0)
            """, token);
}
