-- 0120: campaigns on the second channel, short texts (SMS/WhatsApp), and the replies that stop them.
--
-- campaigns.channel: 'email' (a template, as before) or 'text' (text_body: the message in the
-- notices' template language; the dispatcher queues one outbound_messages row per recipient on the
-- text channel the customer chose, to their phone, in the statement that moves the recipient
-- pending -> queued, exactly as for e-mail). campaign_recipients.phone: the phone the audience was
-- frozen with; one text per phone per campaign. campaigns.type (0017's wider list) says 'sms' for a
-- text campaign, as nearest; channel is what the product reads.
-- text_replies: the provider's inbound messages, recorded once per provider event id. A reply of an
-- opt-out word (SAIR, PARAR, ...) withdraws the customer's sms and whatsapp marketing consent
-- (marketing_consents, source 'text_reply'), which every later text campaign's audience checks.

alter table campaigns
    add column channel   varchar(20) not null default 'email' check (channel in ('email', 'text')),
    add column text_body text check (char_length(text_body) between 1 and 2000),
    add constraint ck_campaigns_channel_content check (channel = 'text' or text_body is null),
    add constraint ck_campaigns_text_no_template check (channel = 'email' or template is null);

alter table campaign_recipients add column phone varchar(20);
create unique index uq_campaign_recipients_campaign_phone on campaign_recipients (campaign_id, phone) where phone is not null;

alter table marketing_consents drop constraint marketing_consents_source_check;
alter table marketing_consents add constraint marketing_consents_source_check
    check (source in ('account_settings', 'checkout', 'registration', 'newsletter_form', 'support', 'unsubscribe_link', 'text_reply'));

create table text_replies (
    id                 bigint generated always as identity primary key,
    provider           varchar(50) not null,
    external_event_id  varchar(200) not null,
    from_phone         varchar(20) not null,
    body               varchar(1600) not null,
    -- opted_out: an opt-out word from a known customer's phone; unknown_phone: an opt-out word from
    -- a phone no customer has; kept: any other reply (kept for the back office, nothing changes)
    outcome            varchar(20) not null check (outcome in ('opted_out', 'unknown_phone', 'kept')),
    received_at        timestamptz not null default now(),
    constraint uq_text_replies_event unique (provider, external_event_id)
);

create index idx_users_phone on users (phone) where phone is not null;
