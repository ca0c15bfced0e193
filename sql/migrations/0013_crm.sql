-- 0013: CRM domain (8 tables): customers, customer_groups, customer_group_members, leads,
-- lead_activities, customer_communications, customer_segments, customer_segment_members.
-- customers is the CRM/ERP record of a user (1:1 through user_id); identity data (e-mail, name,
-- phone) stays on users and is not copied here.

create sequence customer_number_seq as bigint start with 1;

create table customers (
    id                  bigint generated always as identity primary key,
    user_id             bigint not null unique references users (id) on delete restrict,
    customer_number     varchar(20) not null unique
                        default ('CLI-' || lpad(nextval('customer_number_seq')::text, 8, '0')),
    company_name        varchar(200),
    -- CPF (11 digits) or CNPJ (14 digits), digits only; check digits are validated by the application
    tax_id              varchar(14) check (tax_id ~ '^([0-9]{11}|[0-9]{14})$'),
    customer_type       varchar(20) not null default 'individual'
                        check (customer_type in ('individual', 'business')),
    billing_address     jsonb check (billing_address is null or jsonb_typeof(billing_address) = 'object'),
    shipping_address    jsonb check (shipping_address is null or jsonb_typeof(shipping_address) = 'object'),
    credit_limit        numeric(12,2) not null default 0 check (credit_limit >= 0),
    -- signed: positive = the customer owes us (B2B invoices), negative = credit in the customer's favour
    current_balance     numeric(12,2) not null default 0,
    payment_terms       varchar(20) not null default 'prepaid'
                        check (payment_terms in ('prepaid', 'net_15', 'net_30', 'net_45', 'net_60')),
    is_active           boolean not null default true,
    notes               text,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    created_by          bigint references users (id) on delete set null,
    constraint ck_customers_business_has_company
        check (customer_type <> 'business' or company_name is not null)
);

alter sequence customer_number_seq owned by customers.customer_number;

create unique index uq_customers_tax_id on customers (tax_id) where tax_id is not null;
create index idx_customers_created_by on customers (created_by);
-- The document's idx_customers_email_active ON customers(email, is_active) names a column that
-- customers does not have: e-mail lives on users (unique). A lookup by e-mail is
-- users(email) -> customers(user_id); this index serves its second step and "is this user an
-- active customer" as an index-only scan.
create index idx_customers_user_active on customers (user_id, is_active);

create table customer_groups (
    id                  bigint generated always as identity primary key,
    name                varchar(100) not null unique,
    description         varchar(500),
    conditions          jsonb not null default '{}'::jsonb check (jsonb_typeof(conditions) = 'object'),
    discount_percentage numeric(5,2) not null default 0 check (discount_percentage between 0 and 100),
    is_active           boolean not null default true,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now()
);

create table customer_group_members (
    id              bigint generated always as identity primary key,
    customer_id     bigint not null references customers (id) on delete cascade,
    group_id        bigint not null references customer_groups (id) on delete cascade,
    joined_at       timestamptz not null default now(),
    expires_at      timestamptz,
    is_active       boolean not null default true,
    constraint uq_customer_group_members unique (customer_id, group_id)
);

create index idx_customer_group_members_group on customer_group_members (group_id) where is_active;

create table leads (
    id              bigint generated always as identity primary key,
    first_name      varchar(100),
    last_name       varchar(100),
    email           varchar(254) check (email = lower(btrim(email))),
    phone           varchar(20),
    company         varchar(200),
    source          varchar(50) not null default 'website'
                    check (source in ('website', 'instagram', 'whatsapp', 'event', 'referral',
                                      'marketplace', 'cold_outreach', 'import', 'other')),
    status          varchar(20) not null default 'new'
                    check (status in ('new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
    estimated_value numeric(12,2) check (estimated_value >= 0),
    notes           text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    assigned_to     bigint references users (id) on delete set null,
    last_contacted  timestamptz,
    constraint ck_leads_contactable check (email is not null or phone is not null)
);

create index idx_leads_status on leads (status, created_at desc);
create index idx_leads_assigned_to on leads (assigned_to, status);
create index idx_leads_email on leads (email);

create table lead_activities (
    id              bigint generated always as identity primary key,
    lead_id         bigint not null references leads (id) on delete cascade,
    activity_type   varchar(20) not null
                    check (activity_type in ('call', 'email', 'whatsapp', 'meeting', 'visit', 'tasting', 'task', 'note')),
    subject         varchar(200) not null,
    description     text,
    scheduled_at    timestamptz,
    completed_at    timestamptz,
    created_by      bigint references users (id) on delete set null,
    created_at      timestamptz not null default now()
);

create index idx_lead_activities_lead on lead_activities (lead_id, created_at desc);
create index idx_lead_activities_created_by on lead_activities (created_by);

create table customer_communications (
    id              bigint generated always as identity primary key,
    customer_id     bigint not null references customers (id) on delete cascade,
    type            varchar(20) not null
                    check (type in ('transactional', 'marketing', 'support', 'sales', 'feedback')),
    channel         varchar(20) not null
                    check (channel in ('email', 'sms', 'whatsapp', 'phone', 'chat', 'push', 'in_person')),
    subject         varchar(200),
    content         text,
    direction       varchar(10) not null check (direction in ('inbound', 'outbound')),
    sent_at         timestamptz,
    read_at         timestamptz,
    created_by      bigint references users (id) on delete set null,
    created_at      timestamptz not null default now()
);

create index idx_customer_communications_customer on customer_communications (customer_id, created_at desc);
create index idx_customer_communications_created_by on customer_communications (created_by);

create table customer_segments (
    id              bigint generated always as identity primary key,
    name            varchar(100) not null unique,
    description     varchar(500),
    criteria        jsonb not null default '{}'::jsonb check (jsonb_typeof(criteria) = 'object'),
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table customer_segment_members (
    id              bigint generated always as identity primary key,
    customer_id     bigint not null references customers (id) on delete cascade,
    segment_id      bigint not null references customer_segments (id) on delete cascade,
    added_at        timestamptz not null default now(),
    is_active       boolean not null default true,
    constraint uq_customer_segment_members unique (customer_id, segment_id)
);

create index idx_customer_segment_members_segment on customer_segment_members (segment_id) where is_active;

select public.ensure_updated_at_triggers();
