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
            builder.Services.AddHostedService<DrawDemoPictures>();
        }

        return builder;
    }

    private sealed class SeedOnStartup(DemoSeeder seeder) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => seeder.SeedAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>
    /// The demo rows' pictures, after the rows and without holding up the start: the first start
    /// draws them (some seconds) while the store already answers; a restart finds them all made.
    /// </summary>
    private sealed class DrawDemoPictures(DemoImages images) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => images.ApplyAsync(stoppingToken);
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
