-- 0115: the second channel, short texts by SMS or WhatsApp, through the same outbox as e-mail.
-- A customer who chose a text channel (text_message_preferences) and has a phone gets, beside the
-- e-mail, a text for each message that has a short notice (notification_templates): one more row of
-- outbound_messages, with channel 'sms' or 'whatsapp' and the phone as recipient, queued by the same
-- statement in the same transaction (OutboundMessageSql), under a message id derived from the
-- e-mail's, so a replayed event queues neither twice. A separate sender claims the text rows and
-- hands them to the configured provider; the provider's delivery receipts arrive on a signed
-- webhook, recorded once per provider event id (text_message_receipts), and move the message's
-- delivery_status forward only (sent -> delivered -> read; undelivered is final).

alter table outbound_messages drop constraint outbound_messages_channel_check;
alter table outbound_messages add constraint outbound_messages_channel_check check (channel in ('email', 'sms', 'whatsapp'));
alter table outbound_messages
    add column provider_message_id varchar(100),
    add column delivery_status     varchar(20) check (delivery_status in ('delivered', 'read', 'undelivered')),
    add column delivered_at        timestamptz;
create unique index uq_outbound_messages_provider_message on outbound_messages (channel, provider_message_id) where provider_message_id is not null;
create index idx_outbound_messages_channel_due on outbound_messages (channel, next_attempt_at) where status = 'pending';

-- No row: e-mail only (a text channel is opted into, never assumed).
create table text_message_preferences (
    user_id     bigint primary key references users (id) on delete cascade,
    channel     varchar(20) not null check (channel in ('sms', 'whatsapp')),
    updated_at  timestamptz not null default now()
);

create table text_message_receipts (
    id                  bigint generated always as identity primary key,
    provider            varchar(50) not null,
    external_event_id   varchar(200) not null,
    provider_message_id varchar(100) not null,
    status              varchar(20) not null check (status in ('delivered', 'read', 'undelivered')),
    -- applied: moved the message; stale: the message was already further on; unknown: no such message
    outcome             varchar(20) not null check (outcome in ('applied', 'stale', 'unknown')),
    error               varchar(500),
    occurred_at         timestamptz not null,
    received_at         timestamptz not null default now(),
    constraint uq_text_message_receipts_event unique (provider, external_event_id)
);

-- What the simulated provider "sent" (development and tests): the text as the customer would see it.
create table simulated_text_messages (
    id                  bigint generated always as identity primary key,
    provider_message_id varchar(100) not null unique,
    message_id          uuid not null unique,
    channel             varchar(20) not null check (channel in ('sms', 'whatsapp')),
    recipient           varchar(20) not null,
    body                text not null,
    created_at          timestamptz not null default now()
);
