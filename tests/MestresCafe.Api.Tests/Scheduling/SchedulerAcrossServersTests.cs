using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Api.Accounts;
using MestresCafe.Data.Scheduling;
using MestresCafe.Testing;

namespace MestresCafe.Api.Tests.Scheduling;

/// <summary>
/// The scheduler on server processes of one cluster: a due task runs once although two servers
/// could run it, and its schedule (in the table and the reminders) outlives every server.
/// </summary>
public sealed class SchedulerAcrossServersTests : IAsyncLifetime
{
    private const string TaskName = PartitionMaintenance.TaskName;
    private static readonly Dictionary<string, string> Settings = new() { ["Scheduler__CheckEvery"] = "00:00:00.250" };
    private readonly string _clusterId = "sched-" + Guid.NewGuid().ToString("N")[..10];
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync(nameof(SchedulerAcrossServersTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_due_task_runs_exactly_once_across_two_servers_and_keeps_its_schedule_when_they_are_gone()
    {
        var starting = new[] { StartServerAsync(), StartServerAsync() };
        var servers = await Task.WhenAll(starting);
        try
        {
            using var admin = await SignInAdminAsync(servers[0].BaseAddress);

            // Due in a few seconds, once: both servers' silos could run it; one owner does.
            await ScheduleOnceAsync(TimeSpan.FromSeconds(3));
            using (var resumed = await admin.PostAsync($"/api/admin/scheduled-tasks/{TaskName}/resume", null))
            {
                Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
            }

            Assert.True(await Eventually.TrueAsync(async () => await FinishedRunsAsync() == 1, TimeSpan.FromSeconds(30)), "the task did not run");
            var run = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/scheduled-tasks/{TaskName}/runs");
            var only = Assert.Single(run.EnumerateArray());
            Assert.Equal("succeeded", only.GetProperty("status").GetString());
            Assert.Equal(1, only.GetProperty("attempt").GetInt32());

            // The next occurrence, then every server goes away before it.
            await ScheduleOnceAsync(TimeSpan.FromSeconds(8));
            using (var resumed = await admin.PostAsync($"/api/admin/scheduled-tasks/{TaskName}/resume", null))
            {
                Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
            }

            // The owner took the new schedule (resume wakes it without waiting for it).
            Assert.True(await Eventually.TrueAsync(async () =>
                await _database.ScalarAsync<bool>($"select next_run is not null from scheduled_tasks where name = '{TaskName}'"), TimeSpan.FromSeconds(10)));
        }
        finally
        {
            // Stopped as a deployment stops them (a killed silo's grains would wait for its death to be
            // declared, which other tests cover): both leave the cluster, the schedule stays behind.
            await Task.WhenAll(servers.Select(server => server.StopAsync()));
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }

        Assert.Equal(1, await FinishedRunsAsync());
        await using var restarted = await StartServerAsync();
        Assert.True(await Eventually.TrueAsync(async () => await FinishedRunsAsync() == 2, TimeSpan.FromSeconds(60)),
            "the restarted cluster did not run the task\n" + restarted.WarningsAndErrors());
        Assert.Equal(2, await _database.ScalarAsync<long>(
            $"select count(*) from scheduled_task_runs r join scheduled_tasks t on t.id = r.task_id where t.name = '{TaskName}'"));
    }

    private Task<ServerProcess> StartServerAsync() => ServerProcess.StartAsync(_database.ConnectionString, _clusterId, settings: Settings);

    /// <summary>A six-field cron expression for one second, <paramref name="after"/> from the database's now (UTC).</summary>
    private async Task ScheduleOnceAsync(TimeSpan after)
    {
        var at = (await _database.ScalarAsync<DateTime>("select now()")).ToUniversalTime() + after;
        var cron = string.Create(CultureInfo.InvariantCulture, $"{at.Second} {at.Minute} {at.Hour} {at.Day} {at.Month} *");
        await _database.ExecuteAsync($"update scheduled_tasks set schedule = '{cron}' where name = '{TaskName}'");
    }

    private Task<long> FinishedRunsAsync() => _database.ScalarAsync<long>(
        $"select count(*) from scheduled_task_runs r join scheduled_tasks t on t.id = r.task_id where t.name = '{TaskName}' and r.status = 'succeeded'");

    private async Task<HttpClient> SignInAdminAsync(Uri server)
    {
        var email = $"admin.{Guid.NewGuid():N}@example.com.br";
        const string password = "Senha-de-teste-123";
        var userId = await _database.ScalarAsync<long>(
            "insert into users (email, password_hash, first_name, last_name) values ($1, $2, 'Admin', 'Teste') returning id", email, PasswordHasher.Hash(password));
        await _database.ScalarAsync<int>("insert into user_roles (user_id, role_id) select $1, id from roles where name = 'admin' returning 1", userId);
        var http = new HttpClient { BaseAddress = server };
        using var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
