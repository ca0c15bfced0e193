using System.Text.Json;
using Dapper;
using MestresCafe.Data.Mail;
using MestresCafe.Marketing;
using MestresCafe.Notifications;
using Npgsql;

namespace MestresCafe.Data.Marketing;

/// <summary>An active automation as the engine loads it.</summary>
public sealed record ActiveAutomation
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string TriggerType { get; init; } = "";
    public JsonElement TriggerConditions { get; init; }
    public JsonElement ActionSequence { get; init; }
    public DateTimeOffset ActivatedAt { get; init; }
}

/// <summary>An execution due for its next step, as claimed.</summary>
public sealed record DueExecution
{
    public long Id { get; init; }
    public long AutomationId { get; init; }
    public string AutomationName { get; init; } = "";
    public string TriggerType { get; init; } = "";
    public JsonElement TriggerConditions { get; init; }
    public long CustomerId { get; init; }
    public long UserId { get; init; }
    public string OccurrenceKey { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public int StepIndex { get; init; }

    /// <summary>The action sequence the execution started with (an edit applies to executions started after it).</summary>
    public JsonElement Sequence { get; init; }

    /// <summary>What earlier steps left for later ones (the issued coupon), a JSON object.</summary>
    public JsonElement Vars { get; init; }
}

/// <summary>
/// automation_executions as the engine writes them: <see cref="StartAsync"/> once per occurrence
/// (the unique key answers a second start with nothing), and <see cref="ClaimDueAsync"/>, which
/// locks one due execution for the caller's step (<see cref="ClaimedExecution"/>).
/// </summary>
public sealed class AutomationExecutionStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ActiveAutomation>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ActiveAutomation>(new CommandDefinition(
            "select id, name, trigger_type, trigger_conditions, action_sequence, activated_at from marketing_automations where is_active order by id",
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Starts the execution of an occurrence, due now; false when it was started before.</summary>
    public async Task<bool> StartAsync(long automationId, TriggerOccurrence occurrence, JsonElement sequence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into automation_executions (automation_id, customer_id, occurrence_key, occurred_at, status, started_at, due_at, execution_data)
            values (@automationId, @CustomerId, @Key, @OccurredAt, 'pending', @now, @now,
                    jsonb_build_object('sequence', @sequence::jsonb, 'steps', '[]'::jsonb, 'vars', '{}'::jsonb))
            on conflict (automation_id, customer_id, occurrence_key) do nothing
            """,
            new { automationId, occurrence.CustomerId, occurrence.Key, occurrence.OccurredAt, now, sequence = sequence.GetRawText() },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Locks the execution due first (of an active automation), skipping those another server holds;
    /// null when none is due. The caller takes one step and records it through the claim.
    /// </summary>
    public async Task<ClaimedExecution?> ClaimDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            var due = await connection.QuerySingleOrDefaultAsync<DueExecution>(new CommandDefinition(
                """
                select e.id, e.automation_id, a.name as automation_name, a.trigger_type, a.trigger_conditions, e.customer_id, c.user_id,
                       e.occurrence_key, e.occurred_at, e.step_index, e.execution_data->'sequence' as sequence,
                       coalesce(e.execution_data->'vars', '{}'::jsonb) as vars
                from automation_executions e
                join marketing_automations a on a.id = e.automation_id and a.is_active
                join customers c on c.id = e.customer_id
                where e.status in ('pending', 'running', 'waiting') and e.due_at <= @now
                order by e.due_at, e.id
                limit 1
                for update of e skip locked
                """, new { now }, transaction, cancellationToken: cancellationToken));
            if (due is not null)
            {
                return new ClaimedExecution(due, connection, transaction);
            }
        }
        catch
        {
            await DisposeAsync(connection, transaction);
            throw;
        }

        await DisposeAsync(connection, transaction);
        return null;
    }

    private static async Task DisposeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        if (transaction is not null)
        {
            await transaction.DisposeAsync();
        }

        await connection.DisposeAsync();
    }
}

public sealed record ExecutionFactsRow
{
    public bool Ordered { get; init; }
    public int CartItems { get; init; }
}

/// <summary>What a cart held, for the reminder.</summary>
public sealed record CartLineFact
{
    public string Name { get; init; } = "";
    public int Quantity { get; init; }
    public decimal Total { get; init; }
}

/// <summary>A product as an e-mail links to it.</summary>
public sealed record ProductFact
{
    public string Name { get; init; } = "";
    public string Slug { get; init; } = "";
}

/// <summary>
/// One due execution, locked in its own transaction until disposed: the step's effect and the row's
/// move to the next step are written here and commit together (<see cref="CommitAsync"/>), so a step
/// either happened and is recorded, or neither, on whichever server took it.
/// </summary>
public sealed class ClaimedExecution(DueExecution due, NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
{
    public DueExecution Execution => due;

    /// <summary>Whether the customer placed an order (not cancelled) since the occurrence, and how many lines their cart holds now.</summary>
    public async Task<(bool Ordered, int CartItems)> FactsAsync(CancellationToken cancellationToken)
    {
        var facts = await connection.QuerySingleAsync<ExecutionFactsRow>(new CommandDefinition(
            """
            select exists (select 1 from orders o where o.user_id = @UserId and o.created_at > @OccurredAt and o.status <> 'cancelled') as ordered,
                   (select count(*) from shopping_cart s where s.user_id = @UserId)::int as cart_items
            """, new { due.UserId, due.OccurredAt }, transaction, cancellationToken: cancellationToken));
        return (facts.Ordered, facts.CartItems);
    }

    /// <summary>The cart's lines now, at the catalog's prices.</summary>
    public async Task<IReadOnlyList<CartLineFact>> CartAsync(CancellationToken cancellationToken) =>
        (await connection.QueryAsync<CartLineFact>(new CommandDefinition(
            """
            select p.name || coalesce(' – ' || v.name, '') as name, s.quantity, s.quantity * coalesce(v.price, p.price) as total
            from shopping_cart s join products p on p.id = s.product_id left join product_variants v on v.id = s.variant_id
            where s.user_id = @UserId
            order by s.created_at, s.id
            """, new { due.UserId }, transaction, cancellationToken: cancellationToken))).AsList();

    /// <summary>The product of a back-in-stock request (name and slug), by the request id; null when gone.</summary>
    public Task<ProductFact?> RequestedProductAsync(Guid requestId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<ProductFact?>(new CommandDefinition(
            "select p.name, p.slug from back_in_stock_requests r join products p on p.id = r.product_id where r.request_id = @requestId",
            new { requestId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Queues the e-mail in this transaction as marketing mail (<see cref="MarketingMailSql"/>): with the
    /// one-click unsubscribe link and headers, and only while the customer may receive marketing (the
    /// consent checked before the step, and no unsubscribe or bounce since).
    /// </summary>
    public Task<bool> EnqueueEmailAsync(Guid messageId, string template, string dataJson, CancellationToken cancellationToken) =>
        MarketingMailSql.EnqueueAsync(connection, transaction, messageId, template, due.UserId, dataJson, cancellationToken);

    public Task AddToGroupAsync(long groupId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            insert into customer_group_members (customer_id, group_id) values (@CustomerId, @groupId)
            on conflict (customer_id, group_id) do update set is_active = true, expires_at = null
            """, new { due.CustomerId, groupId }, transaction, cancellationToken: cancellationToken));

    /// <summary>An in-app notice to every active user whose role grants <paramref name="permission"/>, once per execution and step.</summary>
    public Task NotifyStaffAsync(string permission, string title, string message, object data, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            insert into notifications (user_id, type, title, content, data, event_id)
            select distinct u.id, 'system', @title, @message, @data::jsonb, md5(@eventKey || ':' || u.id::text)::uuid
            from user_roles ur
            join role_permissions rp on rp.role_id = ur.role_id
            join permissions p on p.id = rp.permission_id and p.name = @permission
            join users u on u.id = ur.user_id and u.is_active
            where ur.expires_at is null or ur.expires_at > now()
            on conflict (event_id) do nothing
            """,
            new { permission, title, message, data = JsonSerializer.Serialize(data), eventKey = $"automation:{due.Id}:{due.StepIndex}" },
            transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Records the step taken and moves to the next, due at <paramref name="nextDueAt"/> (waiting when
    /// later than now); <paramref name="vars"/> replaces what later steps read.
    /// </summary>
    public Task RecordStepAsync(
        string action, object detail, DateTimeOffset now, DateTimeOffset nextDueAt, JsonElement vars, bool emailSent, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            update automation_executions
            set step_index = step_index + 1, due_at = @nextDueAt, status = case when @nextDueAt > @now then 'waiting' else 'running' end,
                emails_sent = emails_sent + case when @emailSent then 1 else 0 end,
                execution_data = jsonb_set(jsonb_set(execution_data, '{vars}', @vars::jsonb), '{steps}',
                    coalesce(execution_data->'steps', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
                        'index', step_index, 'action', @action, 'at', @now, 'detail', @detail::jsonb)))
            where id = @Id
            """,
            new { due.Id, action, now, nextDueAt, emailSent, vars = vars.GetRawText(), detail = JsonSerializer.Serialize(detail) },
            transaction, cancellationToken: cancellationToken));

    /// <summary>Ends the execution: completed after its last step, cancelled with the reason it stopped, or failed with the error.</summary>
    public Task FinishAsync(string status, string? stopReason, string? error, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            update automation_executions
            set status = @status, completed_at = @now, due_at = null, error_message = @error,
                execution_data = case when @stopReason is null then execution_data
                                      else execution_data || jsonb_build_object('stop_reason', @stopReason::text) end
            where id = @Id
            """, new { due.Id, status, stopReason, error, now }, transaction, cancellationToken: cancellationToken));

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
