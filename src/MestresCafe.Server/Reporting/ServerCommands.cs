using MestresCafe.Server.Administration;

namespace MestresCafe.Server.Reporting;

/// <summary>
/// Commands the server binary runs instead of starting the silo (report export, data generator,
/// administrator creation, migrations). Configuration comes from the same places as the server's: appsettings,
/// environment, command line.
/// </summary>
public static class ServerCommands
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "report" or "generate-data" or "admin" or "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Production"}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        return await RunAsync(args, configuration, Console.Out, Console.Error);
    }

    /// <summary>One command with the given configuration and output (the tests run them in process).</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, TextWriter error) =>
        args[0] switch
        {
            "report" => await ReportCommand.RunAsync(args[1..], configuration),
            "admin" => await AdminCommand.RunAsync(args[1..], configuration, output, error),
            "migrate" => await MigrateCommand.RunAsync(configuration, output, error),
            _ => await GenerateDataCommand.RunAsync(args[1..], configuration),
        };
}
