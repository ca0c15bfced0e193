using Scalar.AspNetCore;
using MestresCafe.Api;
using MestresCafe.Api.Settings;
using MestresCafe.Server.Administration;
using MestresCafe.Server.Dashboard;
using MestresCafe.Server.DemoData;
using MestresCafe.Server.Health;
using MestresCafe.Server.Hosting;
using MestresCafe.Server.Observability;
using MestresCafe.Server.Reporting;

// report <name> ..., generate-data ... and admin create ... run and exit without starting the silo.
if (ServerCommands.IsCommand(args))
{
    return await ServerCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddSecretFiles();
builder.AddMestresLogging();
builder.AddMestresData();
builder.AddMestresSettings(); // after the migrations, before the silo: the first request sees the table's values
builder.AddAdminBootstrap();
builder.AddMestresSilo();
builder.AddMestresTelemetry();
builder.AddMestresSystemRecords();
builder.AddMestresApi();
builder.AddMestresHealth();
builder.AddDemoData();
builder.AddDashboard();

var app = builder.Build();

app.UseDashboard();
app.UseMestresApi();
app.MapMestresHealth();
app.MapMestresMetrics();
app.MapMestresApi();
app.MapScalarApiReference("/docs");

app.Run();
return 0;

/// <summary>Visible to the API tests' <c>WebApplicationFactory</c>.</summary>
public partial class Program;
