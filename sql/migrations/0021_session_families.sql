-- 0021: refresh-token rotation with reuse detection.
-- Each refresh creates a new user_sessions row in the same family and retires the old one
-- (rotated_at). A refresh token presented again after its rotation can only be a copy held by
-- someone else, so the whole family is revoked. revoked_at/revoked_reason say why a row stopped.

alter table user_sessions
    add column family_id       uuid not null default gen_random_uuid(),
    add column rotated_at      timestamptz,
    add column revoked_at      timestamptz,
    add column revoked_reason  varchar(30)
               check (revoked_reason in ('logout', 'rotated', 'refresh_reuse', 'password_reset', 'admin'));

comment on column user_sessions.family_id is 'Sessions created from one login by successive refreshes share it; reuse of a rotated refresh token revokes the family.';
comment on column user_sessions.rotated_at is 'When this row''s refresh token was exchanged for a new session; not null = the refresh token is spent.';

create index idx_user_sessions_family on user_sessions (family_id);
