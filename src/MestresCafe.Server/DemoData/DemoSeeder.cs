using MestresCafe.Api.Accounts;
using MestresCafe.Server.Administration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MestresCafe.Server.DemoData;

/// <summary>
/// Writes the demo store: the catalog, stock, coupons and loyalty program of sql/seed/demo.sql,
/// then the demo accounts with the roles of the migrations, whose passwords are generated once per machine and
/// kept in the credentials file rather than written anywhere in the repository. Their e-mails count
/// as verified, so the demo customers can use the first-order coupon.
/// </summary>
public sealed class DemoSeeder(NpgsqlDataSource dataSource, IOptions<DemoDataOptions> options, ILogger<DemoSeeder> logger)
{
    private static readonly DemoAccount[] Accounts =
    [
        new("admin@mestres.cafe", "admin", "Administração", "Mestres Café", "admin", IsCustomer: false),
        new("gerente@mestres.cafe", "gerente", "Marina", "Gerente", "manager", IsCustomer: false),
        new("suporte@mestres.cafe", "suporte", "Paulo", "Suporte", "support", IsCustomer: false),
        new("ana.souza@example.com.br", "ana.souza", "Ana", "Souza", "customer", IsCustomer: true),
        new("bruno.lima@example.com.br", "bruno.lima", "Bruno", "Lima", "customer", IsCustomer: true),
        new("carla.mendes@example.com.br", "carla.mendes", "Carla", "Mendes", "customer", IsCustomer: true),
        // The buyer of the seed's partner café (a company approved for invoiced purchases): signs in to buy "faturado".
        new("compras@graonobre.example.com.br", "graonobre", "Beatriz", "Almeida", "customer", IsCustomer: true),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        var seedFile = Path.Combine(AppContext.BaseDirectory, "sql", "seed", "demo.sql");
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (File.Exists(seedFile))
        {
            await DemoImages.RestoreSeedPathsAsync(connection, transaction, cancellationToken);
            await using var seed = new NpgsqlCommand(await File.ReadAllTextAsync(seedFile, cancellationToken), connection, transaction);
            seed.CommandTimeout = 300;
            await seed.ExecuteNonQueryAsync(cancellationToken);
        }

        var passwords = LoadOrCreatePasswords();
        foreach (var account in Accounts)
        {
            await UpsertAccountAsync(connection, transaction, account, passwords[account.Email], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Demo data written; demo passwords are in {File}", Path.GetFullPath(options.Value.CredentialsFile));
    }

    private static async Task UpsertAccountAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DemoAccount account, string password, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    """
                    insert into users (username, email, password_hash, first_name, last_name, is_admin, email_verified_at)
                    values ($1, $2, $3, $4, $5, $6, now())
                    on conflict (email) do update set password_hash = excluded.password_hash, is_active = true,
                        email_verified_at = coalesce(users.email_verified_at, now())
                    """)
                {
                    Parameters =
                    {
                        new() { Value = account.Username }, new() { Value = account.Email }, new() { Value = PasswordHasher.Hash(password) },
                        new() { Value = account.FirstName }, new() { Value = account.LastName }, new() { Value = account.Role == "admin" },
                    },
                },
                new NpgsqlBatchCommand(
                    """
                    insert into user_roles (user_id, role_id)
                    select u.id, r.id from users u join roles r on r.name = $2 where u.email = $1
                    on conflict (user_id, role_id) do nothing
                    """)
                {
                    Parameters = { new() { Value = account.Email }, new() { Value = account.Role } },
                },
            },
        };
        if (account.IsCustomer)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "insert into customers (user_id) select id from users where email = $1 on conflict (user_id) do nothing")
            {
                Parameters = { new() { Value = account.Email } },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private Dictionary<string, string> LoadOrCreatePasswords()
    {
        var file = options.Value.CredentialsFile;
        var known = File.Exists(file)
            ? File.ReadAllLines(file).Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        foreach (var account in Accounts.Where(a => !known.ContainsKey(a.Email)))
        {
            known[account.Email] = AdministratorInput.GeneratePassword();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        File.WriteAllLines(file, Accounts.Select(a => $"{a.Email} {known[a.Email]}"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return known;
    }

    private sealed record DemoAccount(string Email, string Username, string FirstName, string LastName, string Role, bool IsCustomer);
}
