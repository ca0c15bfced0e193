-- 0123: spam complaints from mailbox providers' feedback loops (ARF, RFC 5965).
--
-- A recipient who presses "this is spam" is reported by their mailbox provider in a feedback
-- report about one of our messages. Each report is recorded once (mail_complaints: unique on the
-- report's own id and, when we could tell it, on the message it is about), and in the same
-- transaction ends marketing to the address as an unsubscribe does: the newsletter row becomes
-- 'complained', the account's e-mail marketing consent is withdrawn (source 'complaint'), and the
-- campaign recipient whose message it was is counted as complained in the campaign's report.
-- No address is kept here: the message and the subscription point at it, and an erasure of
-- those leaves nothing personal behind.

alter table marketing_consents drop constraint marketing_consents_source_check;
alter table marketing_consents add constraint marketing_consents_source_check
    check (source in ('account_settings', 'checkout', 'registration', 'newsletter_form', 'support', 'unsubscribe_link', 'text_reply', 'complaint'));

alter table campaign_recipients drop constraint campaign_recipients_status_check;
alter table campaign_recipients
    add constraint campaign_recipients_status_check
        check (status in ('pending', 'queued', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'bounced', 'unsubscribed', 'complained', 'failed')),
    add column complained_at timestamptz;

create table mail_complaints (
    id               bigint generated always as identity primary key,
    -- The report's own Message-ID (or, without one, the Message-ID of the message it is about).
    feedback_id      varchar(300) not null unique,
    -- The outbound message complained about, when the report named one of ours.
    message_id       uuid unique,
    subscription_id  bigint references newsletter_subscriptions (id) on delete set null,
    feedback_type    varchar(30) not null,
    -- The reporting provider's software (the report's User-Agent field).
    reported_by      varchar(200),
    arrived_at       timestamptz,
    received_at      timestamptz not null default now()
);
