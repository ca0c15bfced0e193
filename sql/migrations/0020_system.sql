-- 0020: system domain (7 tables): system_configurations, audit_logs (partitioned),
-- system_logs (partitioned), notification_templates, notifications, scheduled_tasks, system_health.

create table system_configurations (
    id              bigint generated always as identity primary key,
    key             varchar(100) not null unique check (key ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'),
    value           text,
    type            varchar(20) not null default 'string'
                    check (type in ('string', 'integer', 'decimal', 'boolean', 'json')),
    description     text,
    -- true: may be served to the storefront without authentication (never secrets)
    is_public       boolean not null default false,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    updated_by      bigint references users (id) on delete set null,
    -- the value must parse as its declared type (an invalid json value fails the cast itself)
    constraint ck_system_configurations_value check (
        value is null
        or type = 'string'
        or (type = 'integer' and value ~ '^-?[0-9]+$')
        or (type = 'decimal' and value ~ '^-?[0-9]+(\.[0-9]+)?$')
        or (type = 'boolean' and value in ('true', 'false'))
        or (type = 'json' and value::jsonb is not null))
);

create index idx_system_configurations_updated_by on system_configurations (updated_by);

-- Partitioned by month on created_at: append-only, high volume, queried by time range, retained by
-- dropping or detaching old months (sql/README.md).
create table audit_logs (
    id              bigint generated always as identity,
    -- open vocabulary on purpose ("create", "update", "delete", "login", "order.cancel", ...): an
    -- unforeseen action name must never make an otherwise valid write fail; only its shape is checked
    action          varchar(100) not null check (action ~ '^[a-z][a-z0-9_.:-]*$'),
    table_name      varchar(63),
    record_id       bigint,
    old_values      jsonb,
    new_values      jsonb,
    user_id         bigint references users (id) on delete set null,
    ip_address      inet,
    user_agent      text,
    created_at      timestamptz not null default now(),
    constraint pk_audit_logs primary key (id, created_at)
) partition by range (created_at);

create index idx_audit_logs_record on audit_logs (table_name, record_id, created_at);
create index idx_audit_logs_user on audit_logs (user_id, created_at);
create index idx_audit_logs_action on audit_logs (action, created_at);

select public.create_monthly_partitions('audit_logs', date '2025-01-01', 36);

create table system_logs (
    id              bigint generated always as identity,
    level           varchar(12) not null
                    check (level in ('trace', 'debug', 'information', 'warning', 'error', 'critical')),
    message         text not null,
    module          varchar(100),
    function        varchar(200),
    context         jsonb not null default '{}'::jsonb,
    created_at      timestamptz not null default now(),
    ip_address      inet,
    user_agent      text,
    user_id         bigint references users (id) on delete set null,
    constraint pk_system_logs primary key (id, created_at)
) partition by range (created_at);

create index idx_system_logs_level on system_logs (level, created_at) where level in ('warning', 'error', 'critical');
create index idx_system_logs_module on system_logs (module, created_at);
create index idx_system_logs_user on system_logs (user_id, created_at);

select public.create_monthly_partitions('system_logs', date '2025-01-01', 36);

create table notification_templates (
    id              bigint generated always as identity primary key,
    name            varchar(100) not null unique,
    type            varchar(20) not null
                    check (type in ('order_status', 'payment', 'shipping', 'loyalty', 'achievement', 'reward',
                                    'promotion', 'course', 'stock_alert', 'security', 'system')),
    subject         varchar(255) not null,
    content         text not null,
    variables       jsonb not null default '[]'::jsonb check (jsonb_typeof(variables) = 'array'),
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table notifications (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references users (id) on delete cascade,
    type            varchar(20) not null
                    check (type in ('order_status', 'payment', 'shipping', 'loyalty', 'achievement', 'reward',
                                    'promotion', 'course', 'stock_alert', 'security', 'system')),
    title           varchar(200) not null,
    content         text,
    data            jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
    is_read         boolean not null default false,
    created_at      timestamptz not null default now(),
    read_at         timestamptz,
    expires_at      timestamptz,
    -- additions: the template the document's NOTIFICATION_TEMPLATES ||--o{ NOTIFICATIONS relation
    -- implies, and the id of the event that produced the notification (idempotent projection)
    template_id     bigint references notification_templates (id) on delete set null,
    event_id        uuid not null default gen_random_uuid() unique,
    constraint ck_notifications_read check (not is_read or read_at is not null)
);

create index idx_notifications_user on notifications (user_id, created_at desc);
create index idx_notifications_template on notifications (template_id);
create index idx_notifications_expires on notifications (expires_at) where expires_at is not null;
-- from the document
create index idx_unread_notifications on notifications (user_id, created_at) where is_read = false;

create table scheduled_tasks (
    id              bigint generated always as identity primary key,
    name            varchar(100) not null unique,
    description     text,
    -- five-field cron expression, UTC
    schedule        varchar(100) not null,
    command         text not null,
    is_active       boolean not null default true,
    last_run        timestamptz,
    next_run        timestamptz,
    status          varchar(20) not null default 'idle'
                    check (status in ('idle', 'running', 'succeeded', 'failed', 'disabled')),
    output          text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create index idx_scheduled_tasks_due on scheduled_tasks (next_run) where is_active;

create table system_health (
    id                  bigint generated always as identity primary key,
    service_name        varchar(100) not null,
    status              varchar(20) not null check (status in ('healthy', 'degraded', 'unhealthy')),
    metrics             jsonb not null default '{}'::jsonb check (jsonb_typeof(metrics) = 'object'),
    checked_at          timestamptz not null default now(),
    error_message       text,
    response_time_ms    integer check (response_time_ms >= 0)
);

create index idx_system_health_service on system_health (service_name, checked_at desc);

select public.ensure_updated_at_triggers();
