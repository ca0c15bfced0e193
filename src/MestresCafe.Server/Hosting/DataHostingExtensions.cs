using MestresCafe.Data.Connections;
using MestresCafe.Data.Migrations;
using Microsoft.Extensions.Options;

namespace MestresCafe.Server.Hosting;

public static class DataHostingExtensions
{
    /// <summary>
    /// Registers the server's one PostgreSQL data source (the API, the projections, grain state,
    /// reminders and the health check share its pool, bounded by Database:MaxPoolSize) and, unless
    /// Database:MigrateOnStartup is false, applies pending migrations before the silo starts (the
    /// runner locks, so servers may start together).
    /// </summary>
    public static WebApplicationBuilder AddMestresData(this WebApplicationBuilder builder)
    {
        var postgres = builder.Configuration.GetRequiredConnectionString("Postgres");
        builder.Services.AddOptions<PostgresPoolOptions>()
            .BindConfiguration(PostgresPoolOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(services => services.GetRequiredService<IOptions<PostgresPoolOptions>>().Value.BuildServerDataSource(postgres));
        builder.Services.AddSingleton<MigrationRunner>();
        if (builder.Configuration.GetValue("Database:MigrateOnStartup", true))
        {
            // Registered before UseOrleans' hosted service so the Orleans tables exist when the silo starts.
            builder.Services.AddHostedService<MigrateOnStartup>();
        }

        return builder;
    }

    private sealed class MigrateOnStartup(MigrationRunner runner) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) =>
            runner.ApplyAsync(MigrationSet.Default(), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
