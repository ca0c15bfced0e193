using MestresCafe.Api.Accounts;
using MestresCafe.Data.Accounts;
using MestresCafe.Data.Migrations;
using MestresCafe.Server.Reporting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MestresCafe.Server.Administration;

/// <summary>
/// <c>server admin create --email E [--password P] [--name "First Last"]</c>: the first administrator
/// of a store (or another one later). Applies pending migrations first, so it works on an empty
/// database. Creates the user, or promotes an existing one (reactivated, the admin role without
/// expiry). A chosen password replaces the user's and ends their sessions; without one a new user
/// gets a generated password, printed once, and an existing user keeps theirs.
/// Exit codes: 0 done, 2 bad input (nothing written), 1 the database refused or is unreachable.
/// </summary>
public static class AdminCommand
{
    private const string Usage = "usage: admin create --email E [--password P] [--name \"First Last\"]";

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] != "create")
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        if (!CommandOptions.TryParse(args[1..], ["--email", "--password", "--name"], out var options, out var optionError))
        {
            await error.WriteLineAsync($"admin create: {optionError}\n{Usage}");
            return 2;
        }

        var (identity, inputError) = AdministratorInput.Identity(options.GetValueOrDefault("--email"), "--email", options.GetValueOrDefault("--name"), "--name");
        var chosen = options.GetValueOrDefault("--password");
        inputError ??= chosen is null ? null : AdministratorInput.Password(chosen, identity!.Email, "--password");
        if (inputError is not null)
        {
            await error.WriteLineAsync($"admin create: {inputError}");
            return 2;
        }

        if (configuration.GetConnectionString("Postgres") is not { Length: > 0 } connectionString)
        {
            await error.WriteLineAsync("admin create: ConnectionStrings:Postgres is not set (ConnectionStrings__Postgres)");
            return 2;
        }

        var generated = AdministratorInput.GeneratePassword();
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var applied = await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationSet.Default());
            if (applied.Count > 0)
            {
                await output.WriteLineAsync($"applied {applied.Count} migration(s)");
            }

            var result = await new AdministratorAccountStore(dataSource).CreateOrPromoteAsync(
                identity!, chosen is null ? null : PasswordHasher.Hash(chosen), PasswordHasher.Hash(generated), CancellationToken.None);
            await output.WriteLineAsync(
                $"{(result.Created ? "created" : "promoted")} administrator {identity!.Email} (user {result.UserId}, role {AdministratorRule.Role})");
            if (result.UsedFallbackPassword)
            {
                await output.WriteLineAsync($"password (shown once, change it after signing in): {generated}");
            }
            else if (chosen is not null && !result.Created)
            {
                await output.WriteLineAsync($"password replaced; {result.RevokedSessions} session(s) ended");
            }
            else if (chosen is null)
            {
                await output.WriteLineAsync("password unchanged");
            }

            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            await error.WriteLineAsync($"admin create: {ex.Message}");
            return 1;
        }
    }
}
