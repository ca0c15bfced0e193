-- 0081: LGPD access and consent.
-- marketing_consents: append-only history of a customer's answers per purpose (LGPD art. 8: the
-- store proves when, where and how consent was given); the current answer is the latest row.
-- personal_data_exports: a customer's export request, built in the background and downloaded
-- once with a token whose SHA-256 alone is stored; the content is removed on download or expiry.

create table marketing_consents (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references users (id) on delete cascade,
    purpose         varchar(30) not null
                    check (purpose in ('email_marketing', 'whatsapp', 'sms', 'personalization')),
    granted         boolean not null,
    source          varchar(30) not null
                    check (source in ('account_settings', 'checkout', 'registration', 'newsletter_form', 'support')),
    recorded_at     timestamptz not null default now(),
    ip_address      inet,
    user_agent      text
);

create index idx_marketing_consents_user on marketing_consents (user_id, purpose, recorded_at desc, id desc);

create table personal_data_exports (
    id              uuid primary key,
    user_id         bigint not null references users (id) on delete cascade,
    status          varchar(20) not null default 'pending'
                    check (status in ('pending', 'ready', 'downloaded', 'expired', 'failed')),
    token_hash      char(64) not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
    requested_at    timestamptz not null default now(),
    ready_at        timestamptz,
    downloaded_at   timestamptz,
    expires_at      timestamptz not null,
    document        bytea,
    archive         bytea,
    constraint ck_personal_data_exports_content check (status = 'ready' or (document is null and archive is null))
);

create index idx_personal_data_exports_user on personal_data_exports (user_id, requested_at desc);
create index idx_personal_data_exports_pending on personal_data_exports (requested_at) where status = 'pending';
