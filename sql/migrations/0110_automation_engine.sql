-- 0110: marketing automations run. Each execution is a durable workflow kept in its own row of
-- automation_executions: one per automation, customer and trigger occurrence (occurrence_key names
-- it: this cart's abandonment, that order's delivery, this year's birthday), so servers that find
-- the same occurrence together start it once. The engine (scheduled task 'marketing.automations')
-- claims due rows with for update skip locked and runs one step per transaction: the step's effect
-- (the queued e-mail, the group membership, the staff notice) and the row's move to the next step
-- commit together, so a step is never repeated and a wait is a due time in the row, which survives
-- any restart. execution_data keeps the sequence the execution started with and every step taken.

alter table automation_executions
    add column occurrence_key varchar(200),
    -- the moment from which the customer's orders answer the trigger (the cart's last change, the delivery...)
    add column occurred_at    timestamptz,
    add column step_index     integer not null default 0 check (step_index >= 0),
    add column due_at         timestamptz,
    add column emails_sent    integer not null default 0 check (emails_sent >= 0),
    add column updated_at     timestamptz not null default now();

update automation_executions set occurrence_key = 'before_engine:' || id, occurred_at = started_at where occurrence_key is null;
alter table automation_executions
    alter column occurrence_key set not null,
    alter column occurred_at set not null,
    add constraint ck_automation_executions_due check (due_at is not null or status not in ('pending', 'waiting', 'running'));

create unique index uq_automation_executions_occurrence on automation_executions (automation_id, customer_id, occurrence_key);
-- the engine's claim: open executions by due time
create index idx_automation_executions_due on automation_executions (due_at) where status in ('pending', 'waiting', 'running');

-- Since when the automation's triggers count: occurrences before it was (re)activated do not start
-- it, so seeding or resuming one does not mail the whole history.
alter table marketing_automations add column activated_at timestamptz not null default now();

-- The birthday trigger's fact (personal data: exported and erased with the customer's record).
alter table customers add column birth_date date check (birth_date > date '1900-01-01');

select public.ensure_updated_at_triggers();

insert into scheduled_tasks (name, description, schedule, command, is_active) values
    ('marketing.automations', 'Inicia as automações de marketing dos gatilhos ocorridos e executa os passos vencidos (esperas, e-mails, cupons).',
     '* * * * *', 'class AutomationEngine', true)
on conflict (name) do update
    set description = excluded.description, schedule = excluded.schedule, command = excluded.command, is_active = excluded.is_active,
        next_run = null;
