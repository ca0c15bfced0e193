-- 0011: auth domain (8 tables): users, roles, user_roles, permissions, role_permissions,
-- user_sessions, password_resets, login_attempts.
-- Conventions of every domain file: bigint identity keys, timestamptz, jsonb, emails stored
-- lower-case (checked) so a plain unique key is case-insensitive, ip addresses as inet, secrets
-- (session/refresh/reset tokens) stored as SHA-256 hex digests, never in clear.

create table users (
    id              bigint generated always as identity primary key,
    username        varchar(50) unique
                    check (username = lower(username) and username ~ '^[a-z0-9][a-z0-9._-]{2,49}$'),
    email           varchar(254) not null unique
                    check (email = lower(btrim(email)) and email like '%_@_%'),
    -- null = the account cannot sign in with a password (invited, imported B2B account, external IdP)
    password_hash   text,
    first_name      varchar(100) not null default '',
    last_name       varchar(100) not null default '',
    phone           varchar(20) check (phone ~ '^\+?[0-9]{8,15}$'),
    is_active       boolean not null default true,
    is_admin        boolean not null default false,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    last_login      timestamptz,
    avatar_url      varchar(500),
    bio             text,
    preferences     jsonb not null default '{}'::jsonb check (jsonb_typeof(preferences) = 'object'),
    language        varchar(10) not null default 'pt-BR',
    timezone        varchar(64) not null default 'America/Sao_Paulo'
);

comment on table users is 'Identity of every person who can act in the system (customers and staff). CRM data lives in customers (1:1 by user_id).';
comment on column users.email is 'Lower-cased, trimmed by the writer (CHECK enforces it) so the unique key is case-insensitive.';
comment on column users.is_admin is 'Super-user flag kept from the document; fine-grained authorization comes from user_roles/role_permissions.';

create table roles (
    id              bigint generated always as identity primary key,
    name            varchar(50) not null unique check (name ~ '^[a-z][a-z0-9_]*$'),
    description     varchar(255),
    -- kept from the document; role_permissions is the authoritative grant list (see sql/README.md)
    permissions     jsonb not null default '[]'::jsonb check (jsonb_typeof(permissions) = 'array'),
    is_default      boolean not null default false,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

-- at most one role is given to new sign-ups automatically
create unique index uq_roles_single_default on roles ((true)) where is_default;

create table user_roles (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references users (id) on delete cascade,
    role_id         bigint not null references roles (id) on delete cascade,
    assigned_at     timestamptz not null default now(),
    assigned_by     bigint references users (id) on delete set null,
    expires_at      timestamptz,
    constraint uq_user_roles_user_role unique (user_id, role_id)
);

create index idx_user_roles_role on user_roles (role_id);
create index idx_user_roles_assigned_by on user_roles (assigned_by);

create table permissions (
    id              bigint generated always as identity primary key,
    name            varchar(100) not null unique,
    description     varchar(255),
    resource        varchar(50) not null check (resource ~ '^[a-z][a-z0-9_]*$'),
    action          varchar(50) not null check (action ~ '^[a-z][a-z0-9_]*$'),
    conditions      jsonb not null default '{}'::jsonb check (jsonb_typeof(conditions) = 'object'),
    constraint uq_permissions_resource_action unique (resource, action),
    -- name is always "resource:action", so the two can never disagree
    constraint ck_permissions_name check (name = resource || ':' || action)
);

create table role_permissions (
    id              bigint generated always as identity primary key,
    role_id         bigint not null references roles (id) on delete cascade,
    permission_id   bigint not null references permissions (id) on delete cascade,
    granted_at      timestamptz not null default now(),
    granted_by      bigint references users (id) on delete set null,
    constraint uq_role_permissions_role_permission unique (role_id, permission_id)
);

create index idx_role_permissions_permission on role_permissions (permission_id);
create index idx_role_permissions_granted_by on role_permissions (granted_by);

create table user_sessions (
    id                  bigint generated always as identity primary key,
    user_id             bigint not null references users (id) on delete cascade,
    session_token       char(64) not null unique check (session_token ~ '^[0-9a-f]{64}$'),
    refresh_token       char(64) unique check (refresh_token ~ '^[0-9a-f]{64}$'),
    expires_at          timestamptz not null,
    ip_address          inet,
    user_agent          text,
    created_at          timestamptz not null default now(),
    last_used           timestamptz not null default now(),
    is_active           boolean not null default true,
    -- addition: the refresh token outlives the access session
    refresh_expires_at  timestamptz,
    constraint ck_user_sessions_expiry check (expires_at > created_at),
    constraint ck_user_sessions_refresh_expiry
        check (refresh_expires_at is null or (refresh_token is not null and refresh_expires_at >= expires_at))
);

comment on column user_sessions.session_token is 'SHA-256 (hex) of the opaque session token; the token itself is never stored.';
comment on column user_sessions.refresh_token is 'SHA-256 (hex) of the refresh token; the token itself is never stored.';

create index idx_user_sessions_user_active on user_sessions (user_id) where is_active;
create index idx_user_sessions_expires on user_sessions (expires_at);

create table password_resets (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references users (id) on delete cascade,
    token           char(64) not null unique check (token ~ '^[0-9a-f]{64}$'),
    expires_at      timestamptz not null,
    created_at      timestamptz not null default now(),
    is_used         boolean not null default false,
    constraint ck_password_resets_expiry check (expires_at > created_at)
);

comment on column password_resets.token is 'SHA-256 (hex) of the reset token sent by e-mail; the token itself is never stored.';

create index idx_password_resets_user on password_resets (user_id, created_at desc);

create table login_attempts (
    id              bigint generated always as identity primary key,
    email           varchar(254) not null,
    ip_address      inet,
    success         boolean not null,
    attempted_at    timestamptz not null default now(),
    failure_reason  varchar(50)
                    check (failure_reason in ('invalid_credentials', 'unknown_user', 'inactive_user',
                                              'locked_out', 'password_not_set', 'rate_limited')),
    user_agent      text,
    constraint ck_login_attempts_reason check (success = (failure_reason is null))
);

-- brute-force windows: "failures for this e-mail / this ip in the last N minutes"
create index idx_login_attempts_email_time on login_attempts (email, attempted_at desc);
create index idx_login_attempts_ip_time on login_attempts (ip_address, attempted_at desc);

select public.ensure_updated_at_triggers();
