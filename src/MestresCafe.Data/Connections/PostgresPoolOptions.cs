using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace MestresCafe.Data.Connections;

/// <summary>
/// How many PostgreSQL connections one server holds (section <c>Database</c>). PostgreSQL runs as
/// many statements at once as it has cores; a connection beyond a few per core only waits inside
/// PostgreSQL, on a lock or for a core, and costs a backend's memory, so a server keeps one pool
/// sized to the cores instead of one per provider sized to a hundred. Every pool starts and shrinks
/// to no connection, and names itself, so that <c>pg_stat_activity</c> shows who holds what.
/// </summary>
public sealed class PostgresPoolOptions
{
    public const string Section = "Database";

    /// <summary>The default pool: this many connections per core of the server.</summary>
    public const int ConnectionsPerCore = 4;

    /// <summary>
    /// Membership reads and writes about once a second; a pool of its own keeps a server whose main
    /// pool is saturated by requests from missing its heartbeat and being voted dead.
    /// </summary>
    public const int MembershipPoolSize = 2;

    public const string ServerApplicationName = "mestres";
    public const string MembershipApplicationName = "mestres-membership";
    public const string ReportingApplicationName = "mestres-reporting";

    /// <summary>
    /// Connections of the server's one data source (queries, projections, grain state, reminders,
    /// health checks); 0 means <see cref="ConnectionsPerCore"/> times the cores. Wins over a
    /// <c>Maximum Pool Size</c> in the connection string.
    /// </summary>
    [Range(0, 1000)]
    public int MaxPoolSize { get; set; }

    public int ServerPoolSize => MaxPoolSize > 0 ? MaxPoolSize : ConnectionsPerCore * Environment.ProcessorCount;

    /// <summary>A quarter of the server's pool: a few long reports at a time, never the storefront's connections.</summary>
    public int ReportingPoolSize => Math.Max(1, ServerPoolSize / 4);

    public static PostgresPoolOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<PostgresPoolOptions>() ?? new();

    /// <summary>
    /// The connection string with this pool's bound and name; the rest is the operator's.
    /// </summary>
    /// <remarks>
    /// No reset on close: by default a connection given back to the pool runs <c>DISCARD ALL</c>
    /// before its next use, a statement and so a PostgreSQL transaction of its own; it was a third
    /// of all transactions of a checkout (37 of 112), and it dropped the session's temporary tables and
    /// prepared statements, which the next use then rebuilt. Nothing here leaves session state
    /// behind: settings are <c>set local</c> (transaction-scoped), advisory locks are taken and
    /// released on the same connection (migrations) or are transaction-scoped, and temporary tables
    /// are <c>on commit delete rows</c>.
    /// </remarks>
    public static string Pooled(string connectionString, string applicationName, int maxPoolSize) =>
        new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = applicationName,
            MaxPoolSize = maxPoolSize,
            MinPoolSize = 0,
            NoResetOnClose = true,
            MaxAutoPrepare = 64,
        }.ConnectionString;

    /// <summary>The server's one data source.</summary>
    public NpgsqlDataSource BuildServerDataSource(string connectionString) =>
        new NpgsqlDataSourceBuilder(Pooled(connectionString, ServerApplicationName, ServerPoolSize)).Build();

    public string MembershipConnectionString(string connectionString) =>
        Pooled(connectionString, MembershipApplicationName, MembershipPoolSize);
}
