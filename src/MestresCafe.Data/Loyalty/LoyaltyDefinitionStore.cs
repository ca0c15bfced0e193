using Dapper;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Loyalty;

/// <summary>
/// Back-office writes of the loyalty definitions (programs, rewards, achievements), inside the
/// caller's transaction with its audit row. The accounts read these tables through a short cache.
/// </summary>
public sealed class LoyaltyDefinitionStore() : AdminRowStore(Tables)
{
    private static readonly HashSet<string> Tables = ["loyalty_programs", "rewards", "achievements"];

    /// <summary>How many programs are active, as the write's own transaction sees it.</summary>
    public async Task<long> ActiveProgramCountAsync(WriteScope write, CancellationToken cancellationToken) =>
        await write.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from loyalty_programs where is_active", transaction: write.Transaction, cancellationToken: cancellationToken));
}
