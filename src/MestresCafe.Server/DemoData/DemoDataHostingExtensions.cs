namespace MestresCafe.Server.DemoData;

public static class DemoDataHostingExtensions
{
    /// <summary>
    /// With Demo:Seed=true (the run script sets it) the demo store is written at start-up, after
    /// the migrations. Safe to repeat: every row is upserted on its natural key.
    /// </summary>
    public static WebApplicationBuilder AddDemoData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoDataOptions>().BindConfiguration(DemoDataOptions.Section);
        builder.Services.AddSingleton<DemoSeeder>();
        builder.Services.AddSingleton<DemoImages>();
        if (builder.Configuration.GetValue($"{DemoDataOptions.Section}:Seed", false))
        {
            builder.Services.AddHostedService<SeedOnStartup>();
        }

        return builder;
    }

    /// <summary>The demo rows, then their pictures (drawn on the first start only; the test hosts seed without them).</summary>
    private sealed class SeedOnStartup(DemoSeeder seeder, DemoImages images) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await seeder.SeedAsync(cancellationToken);
            await images.ApplyAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

public sealed class DemoDataOptions
{
    public const string Section = "Demo";

    public bool Seed { get; set; }

    /// <summary>
    /// Where the generated demo passwords are kept so that a re-run keeps them; the run script
    /// prints this file. Never committed.
    /// </summary>
    public string CredentialsFile { get; set; } = Path.Combine(".data", "demo-credentials.txt");
}
