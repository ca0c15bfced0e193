-- 0017: marketing domain (7 tables): campaigns, campaign_recipients, newsletter_subscriptions,
-- newsletter_campaigns, email_templates, marketing_automations, automation_executions.

create table campaigns (
    id              bigint generated always as identity primary key,
    name            varchar(200) not null,
    type            varchar(20) not null
                    check (type in ('email', 'sms', 'whatsapp', 'push', 'social', 'ads', 'in_store')),
    status          varchar(20) not null default 'draft'
                    check (status in ('draft', 'scheduled', 'active', 'paused', 'completed', 'cancelled')),
    description     text,
    target_criteria jsonb not null default '{}'::jsonb check (jsonb_typeof(target_criteria) = 'object'),
    start_date      timestamptz,
    end_date        timestamptz,
    budget          numeric(12,2) check (budget >= 0),
    spent           numeric(12,2) not null default 0 check (spent >= 0),
    metrics         jsonb not null default '{}'::jsonb check (jsonb_typeof(metrics) = 'object'),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    created_by      bigint references users (id) on delete set null,
    constraint ck_campaigns_dates check (start_date is null or end_date is null or start_date <= end_date)
);

create index idx_campaigns_status on campaigns (status, start_date);
create index idx_campaigns_created_by on campaigns (created_by);

create table campaign_recipients (
    id              bigint generated always as identity primary key,
    campaign_id     bigint not null references campaigns (id) on delete cascade,
    customer_id     bigint references customers (id) on delete set null,
    email           varchar(254) not null check (email = lower(btrim(email))),
    status          varchar(20) not null default 'pending'
                    check (status in ('pending', 'sent', 'delivered', 'opened', 'clicked', 'converted',
                                      'bounced', 'unsubscribed', 'failed')),
    sent_at         timestamptz,
    opened_at       timestamptz,
    clicked_at      timestamptz,
    converted_at    timestamptz,
    tracking_data   jsonb not null default '{}'::jsonb check (jsonb_typeof(tracking_data) = 'object'),
    -- one message per address per campaign
    constraint uq_campaign_recipients_campaign_email unique (campaign_id, email)
);

create index idx_campaign_recipients_customer on campaign_recipients (customer_id);
create index idx_campaign_recipients_status on campaign_recipients (campaign_id, status);

create table newsletter_subscriptions (
    id                  bigint generated always as identity primary key,
    email               varchar(254) not null unique check (email = lower(btrim(email)) and email like '%_@_%'),
    status              varchar(20) not null default 'pending'
                        check (status in ('pending', 'subscribed', 'unsubscribed', 'bounced', 'complained')),
    preferences         jsonb not null default '{}'::jsonb check (jsonb_typeof(preferences) = 'object'),
    subscribed_at       timestamptz,
    unsubscribed_at     timestamptz,
    unsubscribe_reason  varchar(255),
    source              varchar(50) not null default 'website',
    metadata            jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
    -- LGPD: an active subscription records when consent was given
    constraint ck_newsletter_subscribed_has_date check (status <> 'subscribed' or subscribed_at is not null)
);

create index idx_newsletter_subscriptions_status on newsletter_subscriptions (status);

create table newsletter_campaigns (
    id                  bigint generated always as identity primary key,
    subject             varchar(255) not null,
    content             text not null,
    template            varchar(100),
    status              varchar(20) not null default 'draft'
                        check (status in ('draft', 'scheduled', 'sending', 'sent', 'cancelled')),
    scheduled_at        timestamptz,
    sent_at             timestamptz,
    total_recipients    integer not null default 0 check (total_recipients >= 0),
    delivered_count     integer not null default 0 check (delivered_count >= 0),
    opened_count        integer not null default 0 check (opened_count >= 0),
    clicked_count       integer not null default 0 check (clicked_count >= 0),
    unsubscribed_count  integer not null default 0 check (unsubscribed_count >= 0),
    created_at          timestamptz not null default now(),
    created_by          bigint references users (id) on delete set null
);

comment on column newsletter_campaigns.template is 'Name of an email_templates row (kept as text, as in the document).';

create index idx_newsletter_campaigns_status on newsletter_campaigns (status, scheduled_at);
create index idx_newsletter_campaigns_created_by on newsletter_campaigns (created_by);

create table email_templates (
    id              bigint generated always as identity primary key,
    name            varchar(100) not null unique,
    subject         varchar(255) not null,
    content         text not null,
    type            varchar(20) not null
                    check (type in ('transactional', 'marketing', 'newsletter', 'notification')),
    variables       jsonb not null default '[]'::jsonb check (jsonb_typeof(variables) = 'array'),
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    created_by      bigint references users (id) on delete set null
);

create index idx_email_templates_created_by on email_templates (created_by);

create table marketing_automations (
    id                  bigint generated always as identity primary key,
    name                varchar(200) not null unique,
    trigger_type        varchar(30) not null
                        check (trigger_type in ('customer_signup', 'first_order', 'order_paid', 'order_delivered',
                                                'cart_abandoned', 'birthday', 'inactivity', 'loyalty_tier_changed',
                                                'course_completed', 'back_in_stock', 'segment_entered')),
    trigger_conditions  jsonb not null default '{}'::jsonb check (jsonb_typeof(trigger_conditions) = 'object'),
    action_sequence     jsonb not null default '[]'::jsonb check (jsonb_typeof(action_sequence) = 'array'),
    is_active           boolean not null default true,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    created_by          bigint references users (id) on delete set null
);

create index idx_marketing_automations_trigger on marketing_automations (trigger_type) where is_active;
create index idx_marketing_automations_created_by on marketing_automations (created_by);

create table automation_executions (
    id              bigint generated always as identity primary key,
    automation_id   bigint not null references marketing_automations (id) on delete cascade,
    customer_id     bigint references customers (id) on delete cascade,
    status          varchar(20) not null default 'pending'
                    check (status in ('pending', 'running', 'waiting', 'completed', 'failed', 'cancelled')),
    execution_data  jsonb not null default '{}'::jsonb check (jsonb_typeof(execution_data) = 'object'),
    started_at      timestamptz not null default now(),
    completed_at    timestamptz,
    error_message   text
);

create index idx_automation_executions_automation on automation_executions (automation_id, started_at desc);
create index idx_automation_executions_customer on automation_executions (customer_id);
create index idx_automation_executions_open on automation_executions (status)
    where status in ('pending', 'running', 'waiting');

select public.ensure_updated_at_triggers();
