using Dapper;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Scheduling;

/// <summary>A scheduled_tasks row.</summary>
public sealed record ScheduledTaskRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string? Description { get; init; }
    public string Schedule { get; init; } = "";
    public string Command { get; init; } = "";
    public bool IsActive { get; init; }
    public DateTimeOffset? LastRun { get; init; }
    public DateTimeOffset? NextRun { get; init; }
    public string Status { get; init; } = "idle";
    public string? Output { get; init; }
    public int ConsecutiveFailures { get; init; }
}

/// <summary>A scheduled_task_runs row: one run, from its start to its end.</summary>
public sealed record ScheduledTaskRunRow
{
    public long Id { get; init; }
    public long TaskId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string Status { get; init; } = "running";
    public int? RowsAffected { get; init; }
    public string? Error { get; init; }
    public int Attempt { get; init; }
    public string? Server { get; init; }
    public bool Manual { get; init; }
}

/// <summary>A run taken by one owner: nobody else runs the task until it is finished or its lease lapses.</summary>
public sealed record ScheduledTaskClaim(long RunId, long TaskId, string Schedule, int ConsecutiveFailures, DateTimeOffset Now);

/// <summary>What a look at a task's row found: a run to do now, or when to look again.</summary>
public sealed record ScheduledTaskCheck(ScheduledTaskClaim? Claim, DateTimeOffset? NextRun);

/// <summary>scheduled_tasks and scheduled_task_runs: claimed and finished by the task's owner, paused and started by the back office.</summary>
public sealed class ScheduledTaskStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, name, description, schedule, command, is_active, last_run, next_run, status, output, consecutive_failures";
    private const string RunColumns = "id, task_id, started_at, finished_at, status, rows_affected, error, attempt, server, manual";

    public async Task<IReadOnlyList<ScheduledTaskRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ScheduledTaskRow>(new CommandDefinition(
            $"select {Columns} from scheduled_tasks order by name", cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<ScheduledTaskRunRow>> RunsAsync(string name, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ScheduledTaskRunRow>(new CommandDefinition(
            $"select {RunColumns} from scheduled_task_runs where task_id = (select id from scheduled_tasks where name = @name) order by id desc limit @limit",
            new { name, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Under the row's lock: when the task is active, due by the database's clock and not running
    /// (or its run's lease lapsed: the server died during it), records a new run and marks the task
    /// running. A task without a next run gets one from <paramref name="nextOccurrence"/>.
    /// </summary>
    public async Task<ScheduledTaskCheck> ClaimIfDueAsync(
        string name, string server, TimeSpan lease, Func<string, DateTimeOffset, DateTimeOffset?> nextOccurrence, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var task = await connection.QuerySingleOrDefaultAsync<TaskToClaim>(new CommandDefinition(
            "select id, schedule, is_active, next_run, status, last_run, consecutive_failures, now() as now from scheduled_tasks where name = @name for update",
            new { name }, transaction, cancellationToken: cancellationToken));
        if (task is null || !task.IsActive)
        {
            return new ScheduledTaskCheck(null, null);
        }

        if (task.NextRun is null)
        {
            var next = nextOccurrence(task.Schedule, task.Now);
            await connection.ExecuteAsync(new CommandDefinition(
                "update scheduled_tasks set next_run = @next where id = @Id", new { next, task.Id }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return new ScheduledTaskCheck(null, next);
        }

        var running = task.Status == "running" && task.LastRun > task.Now - lease;
        if (task.NextRun > task.Now || running)
        {
            return new ScheduledTaskCheck(null, task.NextRun);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            update scheduled_task_runs set status = 'failed', finished_at = now(), error = 'The server running it stopped before it finished.'
            where task_id = @Id and status = 'running';
            update scheduled_tasks set status = 'running', last_run = now() where id = @Id;
            """,
            new { task.Id }, transaction, cancellationToken: cancellationToken));
        var runId = await connection.QuerySingleAsync<long>(new CommandDefinition(
            """
            insert into scheduled_task_runs (task_id, started_at, status, attempt, server, manual)
            values (@Id, now(), 'running', @attempt, @server, coalesce((select manual_run_requested from scheduled_tasks where id = @Id), false))
            returning id;
            """,
            new { task.Id, attempt = task.ConsecutiveFailures + 1, server }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "update scheduled_tasks set manual_run_requested = false where id = @Id", new { task.Id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new ScheduledTaskCheck(new ScheduledTaskClaim(runId, task.Id, task.Schedule, task.ConsecutiveFailures, task.Now), null);
    }

    /// <summary>Records how a run ended and when the task runs next.</summary>
    public async Task FinishAsync(
        ScheduledTaskClaim claim, bool succeeded, int rows, string? error, DateTimeOffset? nextRun, int consecutiveFailures, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var status = succeeded ? "succeeded" : "failed";
        // A pause during the run is kept (disabled); a "run now" asked during it runs right after.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update scheduled_task_runs set finished_at = now(), status = @status, rows_affected = @rowsAffected, error = @error where id = @RunId;
            update scheduled_tasks
            set status = case when is_active then @status else 'disabled' end,
                next_run = case when manual_run_requested then now() else @nextRun end,
                consecutive_failures = @consecutiveFailures, output = @output
            where id = @TaskId;
            """,
            new
            {
                claim.RunId, claim.TaskId, status, rowsAffected = succeeded ? rows : (int?)null, error, nextRun, consecutiveFailures,
                output = succeeded ? $"{rows} rows" : error,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Pauses (<paramref name="active"/> false) or resumes a task, audited; a resumed task's next run
    /// is computed again from its schedule. False when no task has that name.
    /// </summary>
    public Task<bool> SetActiveAsync(string name, bool active, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(name, active ? "scheduled_task.resume" : "scheduled_task.pause",
            active
                ? "update scheduled_tasks set is_active = true, next_run = null, status = case when status = 'running' then status else 'idle' end where id = @id"
                : "update scheduled_tasks set is_active = false, status = case when status = 'running' then status else 'disabled' end where id = @id",
            actor, cancellationToken);

    /// <summary>Makes an active task due now (after its current run, if one is going on), audited. False when no task has that name.</summary>
    public Task<bool> RequestRunAsync(string name, AuditActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(name, "scheduled_task.run_now", "update scheduled_tasks set next_run = now(), manual_run_requested = true where id = @id", actor, cancellationToken);

    private async Task<bool> ChangeAsync(string name, string action, string sql, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleOrDefaultAsync<ScheduledTaskRow>(new CommandDefinition(
            $"select {Columns} from scheduled_tasks where name = @name for update", new { name }, transaction, cancellationToken: cancellationToken));
        if (before is null)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(sql, new { id = before.Id }, transaction, cancellationToken: cancellationToken));
        var after = await connection.QuerySingleAsync<ScheduledTaskRow>(new CommandDefinition(
            $"select {Columns} from scheduled_tasks where id = @Id", before, transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry(action, "scheduled_tasks", before.Id, Audited(before), Audited(after)), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed record TaskToClaim
    {
        public long Id { get; init; }
        public string Schedule { get; init; } = "";
        public bool IsActive { get; init; }
        public DateTimeOffset? NextRun { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset? LastRun { get; init; }
        public int ConsecutiveFailures { get; init; }
        public DateTimeOffset Now { get; init; }
    }

    private static object Audited(ScheduledTaskRow row) => new { row.Name, row.IsActive, row.Status, row.NextRun };
}
