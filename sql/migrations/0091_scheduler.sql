-- 0091: the scheduler of scheduled_tasks. Each task is a class of the server registered under the
-- task's name (no SQL lives in the table: whoever may pause a task must not be able to run SQL), run
-- by its one owner in the cluster when its cron expression (UTC; five fields, or six with seconds
-- first) comes due. Every run is a row of scheduled_task_runs.

alter table scheduled_tasks
    add column consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
    -- "run now" from the back office: the next run is marked manual, and one asked during a run follows it
    add column manual_run_requested boolean not null default false;

create table scheduled_task_runs (
    id              bigint generated always as identity primary key,
    task_id         bigint not null references scheduled_tasks (id) on delete cascade,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    status          varchar(20) not null check (status in ('running', 'succeeded', 'failed')),
    rows_affected   integer check (rows_affected >= 0),
    error           text,
    -- 1 for a regular run, n for the (n-1)th retry after failures in a row
    attempt         integer not null check (attempt >= 1),
    server          varchar(200),
    manual          boolean not null default false,
    constraint ck_scheduled_task_runs_finished check ((status = 'running') = (finished_at is null))
);

create index idx_scheduled_task_runs_task on scheduled_task_runs (task_id, id desc);
-- at most one run in progress per task
create unique index uq_scheduled_task_runs_running on scheduled_task_runs (task_id) where status = 'running';

-- The maintenance every store needs (the demo seed of earlier versions wrote some of these with
-- SQL commands; the command now names the class). loyalty.expire_points stays paused: every loyalty
-- account grain expires its own points (its reminder, Loyalty:CheckEvery).
insert into scheduled_tasks (name, description, schedule, command, is_active) values
    ('partitions.create_ahead', 'Cria as partições mensais até partitions.months_ahead meses à frente e avisa (system_logs) se houver linhas numa partição default.',
     '0 3 * * *', 'class PartitionMaintenance', true),
    ('sessions.purge_expired', 'Remove sessões expiradas há mais de retention.expired_sessions_days dias.', '*/15 * * * *', 'class ExpiredSessionsPurge', true),
    ('password_resets.purge', 'Remove links de redefinição de senha expirados há mais de retention.password_resets_days dias.', '0 * * * *', 'class PasswordResetsPurge', true),
    ('login_attempts.purge', 'Remove tentativas de login mais antigas que retention.login_attempts_days dias.', '30 2 * * *', 'class LoginAttemptsPurge', true),
    ('system_logs.purge', 'Remove logs do sistema mais antigos que retention.system_logs_months meses.', '45 2 * * *', 'class SystemLogsPurge', true),
    ('payment_webhooks.purge_payloads', 'Apaga o payload de webhooks de pagamento resolvidos há mais de retention.webhook_payloads_days dias (a linha fica).',
     '0 4 * * *', 'class WebhookPayloadsPurge', true),
    ('loyalty.expire_points', 'Feito por cada conta de fidelidade (lembrete do grão); a tarefa fica pausada.', '0 4 * * *', 'none: loyalty account grains', false)
on conflict (name) do update
    set description = excluded.description, schedule = excluded.schedule, command = excluded.command, is_active = excluded.is_active,
        next_run = null;

-- Their windows, as live settings (SettingCatalog); the demo seed wrote the first three before.
insert into system_configurations (key, value, type, description, is_public) values
    ('partitions.months_ahead', '3', 'integer', 'Meses de partições criados à frente pela tarefa partitions.create_ahead', false),
    ('retention.login_attempts_days', '90', 'integer', 'Retenção das tentativas de login, em dias (LGPD: minimização)', false),
    ('retention.system_logs_months', '6', 'integer', 'Meses de system_logs mantidos', false),
    ('retention.expired_sessions_days', '1', 'integer', 'Dias que uma sessão expirada é mantida', false),
    ('retention.password_resets_days', '1', 'integer', 'Dias que um link de redefinição expirado é mantido', false),
    ('retention.webhook_payloads_days', '180', 'integer', 'Dias até o payload de um webhook de pagamento resolvido ser apagado', false)
on conflict (key) do update
    set description = excluded.description
    where system_configurations.description is distinct from excluded.description;
