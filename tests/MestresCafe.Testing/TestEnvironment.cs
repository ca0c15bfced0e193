namespace MestresCafe.Testing;

/// <summary>
/// Where the tests find PostgreSQL and Redis. scripts/test.sh starts both and exports these
/// variables; the defaults match scripts/services.sh.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("MC_TEST_POSTGRES")
        ?? $"Host=127.0.0.1;Port={Environment.GetEnvironmentVariable("MC_PG_PORT") ?? "55432"};Username=postgres";

    public static string Redis =>
        Environment.GetEnvironmentVariable("MC_TEST_REDIS")
        ?? $"127.0.0.1:{Environment.GetEnvironmentVariable("MC_REDIS_PORT") ?? "56379"}";

    /// <summary>The repository root: the folder holding MestresCafe.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MestresCafe.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("MestresCafe.sln not found above " + AppContext.BaseDirectory);
    }
}
