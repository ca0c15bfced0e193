-- 0080: LGPD erasure. One row per erased account: who asked (the customer or staff) and when.
-- It holds no personal data: the user id is the anonymised users row, kept because orders,
-- payments and invoices still point at it (see docs/LGPD.md for what each table keeps).

create table personal_data_erasures (
    user_id         bigint primary key references users (id) on delete restrict,
    source          varchar(10) not null check (source in ('self', 'staff')),
    requested_by    bigint references users (id) on delete set null,
    erased_at       timestamptz not null default now()
);

-- An erased account's sessions end with their own reason, so an operator can tell them apart.
alter table user_sessions drop constraint user_sessions_revoked_reason_check;
alter table user_sessions add constraint user_sessions_revoked_reason_check
    check (revoked_reason in ('logout', 'rotated', 'refresh_reuse', 'password_reset', 'admin', 'erasure'));
