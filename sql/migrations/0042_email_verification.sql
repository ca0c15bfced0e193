-- 0042: e-mail verification, and when a password reset was used.
-- A first-order coupon needs a verified e-mail, so that one person with many addresses does not
-- get it once per address. Registration stores only the SHA-256 of the verification token (like
-- password_resets.token); the token itself reaches the user in a link.

alter table users
    add column email_verified_at               timestamptz,
    add column email_verification_token        char(64) unique check (email_verification_token ~ '^[0-9a-f]{64}$'),
    add column email_verification_expires_at   timestamptz,
    add constraint ck_users_email_verification_pending
        check ((email_verification_token is null) = (email_verification_expires_at is null));

comment on column users.email_verified_at is 'When the user proved they read this address (a verification link or a password reset); null = not verified.';
comment on column users.email_verification_token is 'SHA-256 (hex) of the pending verification token; the token itself is never stored. One pending token per user: a new one replaces it.';

-- A used reset proves the owner holds the mailbox: the account lockout counts failures after it.
alter table password_resets add column used_at timestamptz;

comment on column password_resets.used_at is 'When the token set a new password; failed sign-ins before it no longer count towards the account lockout.';
