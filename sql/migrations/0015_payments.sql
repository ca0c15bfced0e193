-- 0015: payments domain (5 tables): payment_methods, payments, payment_refunds,
-- customer_payment_methods, payment_webhooks; plus the orders.payment_method_id foreign key.
-- Card data: only gateway tokens and display data (brand, last four, expiry) are stored; never a
-- PAN or CVV.

create table payment_methods (
    id              bigint generated always as identity primary key,
    name            varchar(100) not null unique,
    type            varchar(20) not null check (type in ('pix', 'credit_card', 'debit_card', 'boleto')),
    provider        varchar(50) not null,
    configuration   jsonb not null default '{}'::jsonb check (jsonb_typeof(configuration) = 'object'),
    is_active       boolean not null default true,
    is_default      boolean not null default false,
    sort_order      integer not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

comment on column payment_methods.configuration is 'Non-secret settings (installments, expiry minutes, discount). Gateway secrets live in the application configuration, never here.';

create unique index uq_payment_methods_single_default on payment_methods ((true)) where is_default;

alter table orders
    add constraint fk_orders_payment_method foreign key (payment_method_id)
        references payment_methods (id) on delete restrict;

create table payments (
    id                      bigint generated always as identity primary key,
    order_id                bigint not null references orders (id) on delete restrict,
    payment_method_id       bigint not null references payment_methods (id) on delete restrict,
    status                  varchar(20) not null default 'pending'
                            check (status in ('pending', 'authorized', 'captured', 'failed', 'cancelled',
                                              'expired', 'refunded', 'partially_refunded')),
    gateway_transaction_id  varchar(100),
    amount                  numeric(12,2) not null check (amount > 0),
    currency                char(3) not null default 'BRL' check (currency ~ '^[A-Z]{3}$'),
    gateway_response        jsonb not null default '{}'::jsonb check (jsonb_typeof(gateway_response) = 'object'),
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now(),
    processed_at            timestamptz,
    notes                   text,
    -- addition: id of the event that created the payment (idempotent projection); later status
    -- events update the row found by it
    event_id                uuid not null default gen_random_uuid() unique
);

-- a gateway transaction id identifies one payment per payment method's provider
create unique index uq_payments_gateway_transaction on payments (payment_method_id, gateway_transaction_id)
    where gateway_transaction_id is not null;
create index idx_payments_order on payments (order_id);
-- from the document
create index idx_payments_date_status on payments (created_at, status);

create table payment_refunds (
    id                  bigint generated always as identity primary key,
    payment_id          bigint not null references payments (id) on delete restrict,
    amount              numeric(12,2) not null check (amount > 0),
    reason              varchar(30) not null
                        check (reason in ('customer_request', 'return', 'order_cancelled', 'duplicate',
                                          'fraud', 'other')),
    status              varchar(20) not null default 'pending'
                        check (status in ('pending', 'processing', 'succeeded', 'failed', 'cancelled')),
    gateway_refund_id   varchar(100),
    gateway_response    jsonb not null default '{}'::jsonb check (jsonb_typeof(gateway_response) = 'object'),
    created_at          timestamptz not null default now(),
    processed_at        timestamptz,
    processed_by        bigint references users (id) on delete set null,
    -- addition: id of the event that requested the refund (idempotent projection)
    event_id            uuid not null default gen_random_uuid() unique
);

create index idx_payment_refunds_payment on payment_refunds (payment_id);
create index idx_payment_refunds_processed_by on payment_refunds (processed_by);
create unique index uq_payment_refunds_gateway on payment_refunds (gateway_refund_id)
    where gateway_refund_id is not null;

create table customer_payment_methods (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references users (id) on delete cascade,
    type            varchar(20) not null check (type in ('credit_card', 'debit_card')),
    provider        varchar(50) not null,
    -- gateway token and card brand, encrypted by the application
    encrypted_data  jsonb not null default '{}'::jsonb check (jsonb_typeof(encrypted_data) = 'object'),
    last_four       char(4) check (last_four ~ '^[0-9]{4}$'),
    expiry_month    char(2) check (expiry_month ~ '^(0[1-9]|1[0-2])$'),
    expiry_year     char(4) check (expiry_year ~ '^20[0-9]{2}$'),
    is_default      boolean not null default false,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create index idx_customer_payment_methods_user on customer_payment_methods (user_id);
create unique index uq_customer_payment_methods_default on customer_payment_methods (user_id) where is_default;

create table payment_webhooks (
    id                  bigint generated always as identity primary key,
    provider            varchar(50) not null,
    event_type          varchar(100) not null,
    payload             jsonb not null check (jsonb_typeof(payload) = 'object'),
    status              varchar(20) not null default 'received'
                        check (status in ('received', 'processing', 'processed', 'failed', 'ignored')),
    received_at         timestamptz not null default now(),
    processed_at        timestamptz,
    error_message       text,
    retry_count         integer not null default 0 check (retry_count >= 0),
    -- addition: the provider's own event id; a redelivered webhook hits the unique key
    external_event_id   varchar(200) not null,
    constraint uq_payment_webhooks_provider_event unique (provider, external_event_id)
);

create index idx_payment_webhooks_pending on payment_webhooks (received_at)
    where status in ('received', 'failed');

select public.ensure_updated_at_triggers();
