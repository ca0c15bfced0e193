using System.Text.Json;
using Dapper;
using MestresCafe.Data.Audit;
using MestresCafe.Marketing;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>An automation as the back office sees it, with its funnel.</summary>
public sealed record AutomationRow
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string TriggerType { get; init; } = "";
    public JsonElement TriggerConditions { get; init; }
    public JsonElement ActionSequence { get; init; }
    public bool IsActive { get; init; }
    public DateTimeOffset ActivatedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Executions started (one per customer and occurrence).</summary>
    public int Triggered { get; init; }

    /// <summary>Executions that sent at least one e-mail.</summary>
    public int Sent { get; init; }

    /// <summary>Executions whose customer paid an order within the conversion days of the trigger.</summary>
    public int Converted { get; init; }

    /// <summary>The converting orders' total (the first such order of each execution), BRL.</summary>
    public decimal ConvertedRevenue { get; init; }

    /// <summary>Executions still running or waiting.</summary>
    public int Open { get; init; }

    /// <summary>Executions stopped before their last step (ordered, consent withdrawn, cart emptied).</summary>
    public int Stopped { get; init; }
}

/// <summary>One execution and the steps it took.</summary>
public sealed record AutomationExecutionRow
{
    public long Id { get; init; }
    public long CustomerId { get; init; }
    public string CustomerNumber { get; init; } = "";
    public string OccurrenceKey { get; init; } = "";
    public string Status { get; init; } = "";
    public int StepIndex { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public int EmailsSent { get; init; }
    public JsonElement Steps { get; init; }
    public string? StopReason { get; init; }
    public string? ErrorMessage { get; init; }
}

public enum AutomationSaveStatus
{
    Saved,
    NotFound,
    NameTaken,
    /// <summary>A step names a template or group that does not exist; the errors say which.</summary>
    Invalid,
}

public sealed record AutomationSave(AutomationSaveStatus Status, AutomationRow? Automation = null, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// The back office's side of marketing_automations: list with funnels, edit (checked definition,
/// existing templates and groups), pause and resume; each write audited in its transaction.
/// Pausing holds the executions where they are; resuming counts triggers from then on only.
/// </summary>
public sealed class AutomationStore(NpgsqlDataSource dataSource)
{
    // The funnel per automation. A conversion is a paid order of the execution's customer after the
    // occurrence, within the automation's conversion days (AutomationWorkflow.IsConversion's rule).
    private const string Select =
        """
        select a.id, a.name, a.trigger_type, a.trigger_conditions, a.action_sequence, a.is_active, a.activated_at, a.created_at, a.updated_at,
               coalesce(f.triggered, 0) as triggered, coalesce(f.sent, 0) as sent, coalesce(f.converted, 0) as converted,
               coalesce(f.converted_revenue, 0) as converted_revenue, coalesce(f.open, 0) as open, coalesce(f.stopped, 0) as stopped
        from marketing_automations a
        left join lateral (
            select count(*)::int as triggered,
                   count(*) filter (where e.emails_sent > 0)::int as sent,
                   count(conv.total)::int as converted,
                   sum(conv.total) as converted_revenue,
                   count(*) filter (where e.status in ('pending', 'running', 'waiting'))::int as open,
                   count(*) filter (where e.status = 'cancelled')::int as stopped
            from automation_executions e
            join customers c on c.id = e.customer_id
            left join lateral (
                select o.total_amount as total from orders o
                where o.user_id = c.user_id and o.paid_at is not null
                  and o.created_at > e.occurred_at
                  and o.created_at <= e.occurred_at + make_interval(days => coalesce((a.trigger_conditions->>'conversion_days')::int, 7))
                order by o.created_at limit 1
            ) conv on true
            where e.automation_id = a.id
        ) f on true
        """;

    public async Task<IReadOnlyList<AutomationRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<AutomationRow>(new CommandDefinition(Select + " order by a.name", cancellationToken: cancellationToken))).AsList();
    }

    public async Task<AutomationRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await GetAsync(connection, null, id, cancellationToken);
    }

    /// <summary>Replaces an automation's definition (already parsed); executions under way keep the sequence they started with.</summary>
    public async Task<AutomationSave> UpdateAsync(
        long id, string name, string triggerType, JsonElement conditions, JsonElement actions, AutomationDefinition definition,
        AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await GetAsync(connection, transaction, id, cancellationToken, forUpdate: true) is not { } before)
        {
            return new AutomationSave(AutomationSaveStatus.NotFound);
        }

        if (await UnknownReferencesAsync(connection, transaction, definition, cancellationToken) is { Count: > 0 } errors)
        {
            return new AutomationSave(AutomationSaveStatus.Invalid, Errors: errors);
        }

        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from marketing_automations where lower(name) = lower(@name) and id <> @id)",
                new { name, id }, transaction, cancellationToken: cancellationToken)))
        {
            return new AutomationSave(AutomationSaveStatus.NameTaken);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            update marketing_automations
            set name = @name, trigger_type = @triggerType, trigger_conditions = @conditions::jsonb, action_sequence = @actions::jsonb
            where id = @id
            """,
            new { id, name, triggerType, conditions = conditions.GetRawText(), actions = actions.GetRawText() }, transaction, cancellationToken: cancellationToken));
        return await AuditedAsync(connection, transaction, "automation.update", before, actor, cancellationToken);
    }

    /// <summary>Pauses (executions stay where they are) or resumes (triggers count from now on) an automation; null when there is none.</summary>
    public async Task<AutomationRow?> SetActiveAsync(long id, bool active, DateTimeOffset now, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await GetAsync(connection, transaction, id, cancellationToken, forUpdate: true) is not { } before)
        {
            return null;
        }

        if (before.IsActive == active)
        {
            return before;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            active
                ? "update marketing_automations set is_active = true, activated_at = @now where id = @id"
                : "update marketing_automations set is_active = false where id = @id",
            new { id, now }, transaction, cancellationToken: cancellationToken));
        return (await AuditedAsync(connection, transaction, active ? "automation.resume" : "automation.pause", before, actor, cancellationToken)).Automation;
    }

    /// <summary>The automation's latest executions, newest first.</summary>
    public async Task<IReadOnlyList<AutomationExecutionRow>> ExecutionsAsync(long id, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<AutomationExecutionRow>(new CommandDefinition(
            """
            select e.id, e.customer_id, c.customer_number, e.occurrence_key, e.status, e.step_index, e.occurred_at, e.started_at, e.due_at,
                   e.completed_at, e.emails_sent, coalesce(e.execution_data->'steps', '[]'::jsonb) as steps,
                   e.execution_data->>'stop_reason' as stop_reason, e.error_message
            from automation_executions e join customers c on c.id = e.customer_id
            where e.automation_id = @id
            order by e.started_at desc, e.id desc
            limit @limit
            """, new { id, limit }, cancellationToken: cancellationToken))).AsList();
    }

    private static async Task<AutomationSave> AuditedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string action, AutomationRow before, AuditActor actor, CancellationToken cancellationToken)
    {
        var after = (await GetAsync(connection, transaction, before.Id, cancellationToken))!;
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry(action, "marketing_automations", before.Id, Image(before), Image(after)), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new AutomationSave(AutomationSaveStatus.Saved, after);
    }

    /// <summary>Templates that are not active e-mail templates and groups that do not exist, keyed by the step's path.</summary>
    private static async Task<Dictionary<string, string[]>> UnknownReferencesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, AutomationDefinition definition, CancellationToken cancellationToken)
    {
        var templates = (await connection.QueryAsync<string>(new CommandDefinition(
            "select name from email_templates where name = any(@names) and is_active", new { names = definition.Templates.ToArray() },
            transaction, cancellationToken: cancellationToken))).ToHashSet(StringComparer.Ordinal);
        var groups = (await connection.QueryAsync<long>(new CommandDefinition(
            "select id from customer_groups where id = any(@ids)", new { ids = definition.Groups.ToArray() },
            transaction, cancellationToken: cancellationToken))).ToHashSet();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            switch (definition.Steps[i])
            {
                case SendEmailStep send when !templates.Contains(send.Template):
                    errors[$"actionSequence[{i}].template"] = ["No active e-mail template by this name."];
                    break;
                case AddToGroupStep add when !groups.Contains(add.GroupId):
                    errors[$"actionSequence[{i}].group_id"] = ["No customer group with this id."];
                    break;
            }
        }

        return errors;
    }

    private static object Image(AutomationRow row) => new
    {
        row.Name, row.TriggerType, TriggerConditions = row.TriggerConditions.GetRawText(), ActionSequence = row.ActionSequence.GetRawText(), row.IsActive,
    };

    private static async Task<AutomationRow?> GetAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, long id, CancellationToken cancellationToken, bool forUpdate = false)
    {
        // The row lock first: two edits of one automation run one after the other, each auditing the other's result.
        if (forUpdate && await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "select id from marketing_automations where id = @id for update", new { id }, transaction, cancellationToken: cancellationToken)) is null)
        {
            return null;
        }

        return await connection.QuerySingleOrDefaultAsync<AutomationRow>(new CommandDefinition(
            Select + " where a.id = @id", new { id }, transaction, cancellationToken: cancellationToken));
    }
}
