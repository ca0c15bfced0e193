using Dapper;
using MestresCafe.Crm;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Crm;

public sealed record LeadRow
{
    public long Id { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Company { get; init; }
    public string Source { get; init; } = "";
    public string Status { get; init; } = "";
    public decimal? EstimatedValue { get; init; }
    public string? Notes { get; init; }
    public long? AssignedTo { get; init; }
    public DateTimeOffset? LastContacted { get; init; }
    public long? CustomerId { get; init; }
    public DateTimeOffset? ConvertedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public sealed record LeadActivityRow
{
    public long Id { get; init; }
    public long LeadId { get; init; }
    public string ActivityType { get; init; } = "";
    public string Subject { get; init; } = "";
    public string? Description { get; init; }
    public DateTimeOffset? ScheduledAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public long? CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string? LeadCompany { get; init; }
}

/// <summary>A lead's editable fields (everything but its status, which only moves through <see cref="LeadPipeline"/>).</summary>
public sealed record LeadFields(
    string? FirstName, string? LastName, string? Email, string? Phone, string? Company, string Source, decimal? EstimatedValue, string? Notes, long? AssignedTo);

public sealed record NewActivity(string Type, string Subject, string? Description, DateTimeOffset? ScheduledAt);

/// <summary>What converting a won lead asks for: the company's CNPJ (digits), and optionally an account to create and a group to join.</summary>
public sealed record LeadConversion(string? TaxId, bool CreateUser, long? GroupId);

public enum LeadOutcome
{
    Done,
    NotFound,
    /// <summary>The move or the conversion is not allowed in the lead's status; <see cref="LeadChange.Detail"/> says why.</summary>
    Refused,
    /// <summary>A referenced row (assignee, group) does not exist, or the CNPJ is another customer's; the field is named.</summary>
    Invalid,
}

public sealed record LeadChange(LeadOutcome Outcome, LeadRow? Lead = null, string? Detail = null, string? Field = null)
{
    public static readonly LeadChange NotFound = new(LeadOutcome.NotFound);
}

/// <summary>
/// Leads and their activities: relational-first, each write in one transaction with its audit row.
/// A status move locks the lead's row and asks <see cref="LeadPipeline"/>; converting a won lead
/// creates (or completes) the company's customer record, its account when asked, and its group
/// membership in the same transaction, and the lead keeps its history with the customer's id.
/// </summary>
public sealed class LeadStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, first_name, last_name, email, phone, company, source, status, estimated_value, notes, assigned_to, last_contacted, customer_id, converted_at, created_at, updated_at";

    /// <summary>Creates a lead; null <paramref name="actor"/> user means the public form.</summary>
    public async Task<LeadChange> CreateAsync(LeadFields fields, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (fields.AssignedTo is { } assignee && !await StaffExistsAsync(connection, transaction, assignee, cancellationToken))
        {
            return new LeadChange(LeadOutcome.Invalid, Field: "assignedTo", Detail: "No such staff member.");
        }

        var lead = await connection.QuerySingleAsync<LeadRow>(new CommandDefinition(
            $"""
            insert into leads (first_name, last_name, email, phone, company, source, estimated_value, notes, assigned_to)
            values (@FirstName, @LastName, @Email, @Phone, @Company, @Source, @EstimatedValue, @Notes, @AssignedTo)
            returning {Columns}
            """, fields, transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("lead.create", "leads", lead.Id, null, lead), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LeadChange(LeadOutcome.Done, lead);
    }

    public async Task<LeadChange> UpdateAsync(long id, LeadFields fields, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await LockAsync(connection, transaction, id, cancellationToken) is not { } before)
        {
            return LeadChange.NotFound;
        }

        if (fields.AssignedTo is { } assignee && assignee != before.AssignedTo && !await StaffExistsAsync(connection, transaction, assignee, cancellationToken))
        {
            return new LeadChange(LeadOutcome.Invalid, Field: "assignedTo", Detail: "No such staff member.");
        }

        var after = await connection.QuerySingleAsync<LeadRow>(new CommandDefinition(
            $"""
            update leads set first_name = @FirstName, last_name = @LastName, email = @Email, phone = @Phone, company = @Company,
                             source = @Source, estimated_value = @EstimatedValue, notes = @Notes, assigned_to = @AssignedTo
            where id = @id
            returning {Columns}
            """, new { id, fields.FirstName, fields.LastName, fields.Email, fields.Phone, fields.Company, fields.Source, fields.EstimatedValue, fields.Notes, fields.AssignedTo },
            transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("lead.update", "leads", id, before, after), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LeadChange(LeadOutcome.Done, after);
    }

    public async Task<LeadChange> MoveAsync(long id, string to, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await LockAsync(connection, transaction, id, cancellationToken) is not { } before)
        {
            return LeadChange.NotFound;
        }

        if (LeadPipeline.CheckMove(before.Status, to) is { } refusal)
        {
            return new LeadChange(LeadOutcome.Refused, before, refusal);
        }

        var after = await connection.QuerySingleAsync<LeadRow>(new CommandDefinition(
            $"update leads set status = @to where id = @id returning {Columns}", new { id, to }, transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction,
            new AuditEntry("lead.status", "leads", id, new { status = before.Status }, new { status = to }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LeadChange(LeadOutcome.Done, after);
    }

    public async Task<LeadRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<LeadRow>(new CommandDefinition(
            $"select {Columns} from leads where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Leads by status and assignee, newest first.</summary>
    public async Task<IReadOnlyList<LeadRow>> ListAsync(string? status, long? assignedTo, int limit, long offset, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<LeadRow>(new CommandDefinition(
            $"""
            select {Columns} from leads
            where (@status::text is null or status = @status) and (@assignedTo::bigint is null or assigned_to = @assignedTo)
            order by created_at desc, id desc limit @limit offset @offset
            """, new { status, assignedTo, limit, offset }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<LeadActivityRow>> ActivitiesAsync(long leadId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<LeadActivityRow>(new CommandDefinition(
            ActivitySelect + " where a.lead_id = @leadId order by a.created_at desc, a.id desc", new { leadId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Activities not done yet on the user's leads or created by them, the soonest due first (undated last).</summary>
    public async Task<IReadOnlyList<LeadActivityRow>> OpenActivitiesOfAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<LeadActivityRow>(new CommandDefinition(
            ActivitySelect + """
             where a.completed_at is null and (l.assigned_to = @userId or a.created_by = @userId)
             order by a.scheduled_at nulls last, a.id
            """, new { userId }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Records an activity; a contact (anything but a task or a note) also dates the lead's last contact.</summary>
    public async Task<(LeadOutcome Outcome, LeadActivityRow? Activity)> AddActivityAsync(long leadId, NewActivity activity, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await LockAsync(connection, transaction, leadId, cancellationToken) is null)
        {
            return (LeadOutcome.NotFound, null);
        }

        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            insert into lead_activities (lead_id, activity_type, subject, description, scheduled_at, created_by)
            values (@leadId, @Type, @Subject, @Description, @ScheduledAt, @UserId) returning id
            """, new { leadId, activity.Type, activity.Subject, activity.Description, activity.ScheduledAt, actor.UserId },
            transaction, cancellationToken: cancellationToken));
        if (activity.Type is not (LeadPipeline.Task or "note"))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update leads set last_contacted = now() where id = @leadId", new { leadId }, transaction, cancellationToken: cancellationToken));
        }

        var row = await ActivityAsync(connection, transaction, id, cancellationToken);
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("lead.activity", "lead_activities", id, null, row), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (LeadOutcome.Done, row);
    }

    /// <summary>Marks an activity done (once; done again changes nothing).</summary>
    public async Task<LeadActivityRow?> CompleteActivityAsync(long leadId, long activityId, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var completed = await connection.ExecuteAsync(new CommandDefinition(
            "update lead_activities set completed_at = now() where id = @activityId and lead_id = @leadId and completed_at is null",
            new { leadId, activityId }, transaction, cancellationToken: cancellationToken));
        var row = await ActivityAsync(connection, transaction, activityId, cancellationToken);
        if (row is null || row.LeadId != leadId)
        {
            return null;
        }

        if (completed == 1)
        {
            await AuditTrail.WriteAsync(connection, transaction,
                new AuditEntry("lead.activity_done", "lead_activities", activityId, null, new { row.CompletedAt }), actor, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return row;
    }

    /// <summary>
    /// A won lead becomes a business customer: the account with the lead's e-mail (created without a
    /// password when asked and none exists: the company sets one through password reset), its
    /// customer record (made a company's), the group membership; the lead keeps its history and
    /// points at the customer. All in one transaction: a refusal leaves nothing written.
    /// </summary>
    public async Task<LeadChange> ConvertAsync(long id, LeadConversion conversion, AuditActor actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await LockAsync(connection, transaction, id, cancellationToken) is not { } lead)
        {
            return LeadChange.NotFound;
        }

        if (lead.Status != LeadPipeline.Won || lead.CustomerId is not null)
        {
            return new LeadChange(LeadOutcome.Refused, lead,
                lead.CustomerId is null ? "Only a won lead becomes a customer." : "This lead is already a customer.");
        }

        if (string.IsNullOrEmpty(lead.Company))
        {
            return new LeadChange(LeadOutcome.Refused, lead, "The lead names no company.");
        }

        if (conversion.GroupId is { } groupId && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from customer_groups where id = @groupId and is_active)", new { groupId }, transaction, cancellationToken: cancellationToken)))
        {
            return new LeadChange(LeadOutcome.Invalid, Field: "groupId", Detail: "No such active group.");
        }

        var userId = lead.Email is null ? null : await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "select id from users where email = @Email", new { lead.Email }, transaction, cancellationToken: cancellationToken));
        if (userId is null)
        {
            if (!conversion.CreateUser || lead.Email is null)
            {
                return new LeadChange(LeadOutcome.Refused, lead, lead.Email is null
                    ? "A customer needs an account, and the lead has no e-mail for one."
                    : "No account has the lead's e-mail: ask for one to be created (createUser).");
            }

            userId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                insert into users (email, first_name, last_name, phone) values (@Email, coalesce(@FirstName, ''), coalesce(@LastName, ''), @Phone)
                returning id
                """, new { lead.Email, lead.FirstName, lead.LastName, Phone = PhoneOrNull(lead.Phone) }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into user_roles (user_id, role_id) select @userId, id from roles where name = 'customer'",
                new { userId }, transaction, cancellationToken: cancellationToken));
        }

        if (conversion.TaxId is { } taxId && await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from customers where tax_id = @taxId and user_id <> @userId)", new { taxId, userId }, transaction, cancellationToken: cancellationToken)))
        {
            return new LeadChange(LeadOutcome.Invalid, Field: "taxId", Detail: "Another customer has this CNPJ.");
        }

        var customerId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            insert into customers (user_id, customer_type, company_name, tax_id, created_by)
            values (@userId, 'business', @Company, @taxId, @actorId)
            on conflict (user_id) do update
            set customer_type = 'business', company_name = excluded.company_name, tax_id = coalesce(excluded.tax_id, customers.tax_id)
            returning id
            """, new { userId, lead.Company, taxId = conversion.TaxId, actorId = actor.UserId }, transaction, cancellationToken: cancellationToken));
        if (conversion.GroupId is { } group)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into customer_group_members (customer_id, group_id) values (@customerId, @group)
                on conflict (customer_id, group_id) do update set is_active = true, expires_at = null
                """, new { customerId, group }, transaction, cancellationToken: cancellationToken));
        }

        var after = await connection.QuerySingleAsync<LeadRow>(new CommandDefinition(
            $"update leads set customer_id = @customerId, converted_at = now() where id = @id returning {Columns}",
            new { id, customerId }, transaction, cancellationToken: cancellationToken));
        await AuditTrail.WriteAsync(connection, transaction, new AuditEntry("lead.convert", "leads", id, null,
            new { customerId, userId, conversion.GroupId }), actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new LeadChange(LeadOutcome.Done, after);
    }

    private const string ActivitySelect =
        """
        select a.id, a.lead_id, a.activity_type, a.subject, a.description, a.scheduled_at, a.completed_at, a.created_by, a.created_at,
               l.company as lead_company
        from lead_activities a join leads l on l.id = a.lead_id
        """;

    private static Task<LeadActivityRow?> ActivityAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<LeadActivityRow>(new CommandDefinition(
            ActivitySelect + " where a.id = @id", new { id }, transaction, cancellationToken: cancellationToken));

    private static Task<LeadRow?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<LeadRow>(new CommandDefinition(
            $"select {Columns} from leads where id = @id for update", new { id }, transaction, cancellationToken: cancellationToken));

    private static Task<bool> StaffExistsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long userId, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            select exists (select 1 from users u where u.id = @userId and u.is_active
                           and (u.is_admin or exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
                                                      where ur.user_id = u.id and r.name <> 'customer')))
            """, new { userId }, transaction, cancellationToken: cancellationToken));

    // users.phone is stricter than leads.phone (digits and an optional +): a lead's free-form number is left out.
    private static string? PhoneOrNull(string? phone) =>
        phone is null ? null : new string(phone.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray()) is { Length: >= 8 and <= 16 } p
            && System.Text.RegularExpressions.Regex.IsMatch(p, @"^\+?[0-9]{8,15}$") ? p : null;
}
