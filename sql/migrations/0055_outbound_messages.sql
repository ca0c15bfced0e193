-- 0055: outbound messages, the mail outbox. A message is written here in the transaction of what
-- caused it (an order's projection, a password reset, a registration), keyed by a message id derived
-- from the causing event, so a replayed event inserts nothing. Background senders on every server
-- claim due rows with a lease (for update skip locked), send them over SMTP and record the outcome:
-- sent (with the rendered subject and bodies), retried with exponential backoff, or failed for good
-- with the SMTP reply. An operational table beside the data model's 76; the recipient is personal data.

create table outbound_messages (
    id               bigint generated always as identity primary key,
    message_id       uuid not null unique,
    channel          varchar(20) not null default 'email' check (channel in ('email')),
    template         varchar(100) not null,
    user_id          bigint references users (id) on delete set null,
    recipient        varchar(255) not null,
    data             jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
    status           varchar(20) not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
    attempts         integer not null default 0 check (attempts >= 0),
    next_attempt_at  timestamptz not null default now(),
    -- The claim: who holds the row and until when. A server that dies mid-send leaves it to expire.
    lease_token      uuid,
    lease_until      timestamptz,
    subject          varchar(255),
    html_body        text,
    text_body        text,
    last_error       text,
    smtp_reply       text,
    created_at       timestamptz not null default now(),
    sent_at          timestamptz,
    failed_at        timestamptz,
    constraint ck_outbound_messages_lease check ((status = 'sending') = (lease_token is not null and lease_until is not null)),
    constraint ck_outbound_messages_sent check ((status = 'sent') = (sent_at is not null))
);

-- The senders' two claims: due pending rows, and leases that lapsed.
create index idx_outbound_messages_due on outbound_messages (next_attempt_at) where status = 'pending';
create index idx_outbound_messages_lapsed on outbound_messages (lease_until) where status = 'sending';
create index idx_outbound_messages_user on outbound_messages (user_id, created_at desc);
create index idx_outbound_messages_created on outbound_messages (created_at desc);
create index idx_outbound_messages_failed on outbound_messages (failed_at desc) where status = 'failed';
