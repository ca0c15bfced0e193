-- 0106: e-mail campaigns to a frozen audience, and their tracking.
--
-- campaigns (type 'email'): a template, an audience (a CRM segment, or the newsletter's
-- subscribers, optionally of one topic), a send rate and a conversion window. Sending freezes the
-- audience once into campaign_recipients (audience_frozen_at), then hands recipients to the mail
-- outbox at the campaign's rate: each recipient moves pending -> queued exactly once, in the
-- transaction that writes its outbound_messages row (message_id derived from the recipient).
-- campaign_conversions: a paid order placed within the campaign's window after a click on one of
-- its links, attributed to the latest such click, once per order.

alter table campaigns
    add column template                varchar(100) references email_templates (name) on update cascade,
    add column audience                varchar(20) check (audience in ('segment', 'newsletter')),
    add column segment_id              bigint references customer_segments (id) on delete set null,
    add column newsletter_topic        varchar(30),
    add column send_rate               integer not null default 50 check (send_rate between 1 and 10000),
    add column conversion_window_days  integer not null default 7 check (conversion_window_days between 1 and 90),
    add column audience_frozen_at      timestamptz,
    add column total_recipients        integer not null default 0 check (total_recipients >= 0),
    add column last_dispatch_at        timestamptz,
    add column completed_at            timestamptz;

comment on column campaigns.last_dispatch_at is 'The send rate''s token bucket: recipients may be queued up to send_rate per second of time since this instant (at most one second''s worth at once).';

-- The dispatchers' pick: campaigns due or sending.
create index idx_campaigns_sending on campaigns (start_date, id) where status in ('scheduled', 'active');

alter table campaign_recipients drop constraint campaign_recipients_status_check;
alter table campaign_recipients
    add constraint campaign_recipients_status_check
        check (status in ('pending', 'queued', 'sent', 'delivered', 'opened', 'clicked', 'converted', 'bounced', 'unsubscribed', 'failed')),
    add column message_id       uuid unique,
    add column queued_at        timestamptz,
    add column unsubscribed_at  timestamptz,
    add constraint ck_campaign_recipients_queued check ((status = 'pending') = (message_id is null));

create index idx_campaign_recipients_pending on campaign_recipients (campaign_id, id) where status = 'pending';
-- Attribution looks up a buyer's latest click.
create index idx_campaign_recipients_clicks on campaign_recipients (customer_id, clicked_at desc) where clicked_at is not null;

create table campaign_conversions (
    order_id        bigint primary key references orders (id) on delete cascade,
    campaign_id     bigint not null references campaigns (id) on delete cascade,
    recipient_id    bigint not null references campaign_recipients (id) on delete cascade,
    revenue         numeric(12,2) not null check (revenue >= 0),
    clicked_at      timestamptz not null,
    converted_at    timestamptz not null default now()
);

create index idx_campaign_conversions_campaign on campaign_conversions (campaign_id);

-- Attribution runs in the transaction that marks the order paid (the order's projection), so an
-- order is attributed once, the moment it counts, with the revenue it was paid with.
create function attribute_campaign_conversion() returns trigger
language plpgsql as $$
begin
    insert into campaign_conversions (order_id, campaign_id, recipient_id, revenue, clicked_at)
    select new.id, r.campaign_id, r.id, new.total_amount, r.clicked_at
    from customers c
    join campaign_recipients r on r.customer_id = c.id and r.clicked_at is not null
    join campaigns k on k.id = r.campaign_id
    where c.user_id = new.user_id
      and r.clicked_at <= new.created_at
      and r.clicked_at > new.created_at - make_interval(days => k.conversion_window_days)
    order by r.clicked_at desc, r.id desc
    limit 1
    on conflict (order_id) do nothing;

    update campaign_recipients r
    set status = case when r.status = 'unsubscribed' then r.status else 'converted' end,
        converted_at = coalesce(r.converted_at, now())
    from campaign_conversions v
    where v.order_id = new.id and r.id = v.recipient_id;
    return null;
end;
$$;

create trigger trg_orders_campaign_conversion_insert after insert on orders
    for each row when (new.status = 'paid')
    execute function attribute_campaign_conversion();
create trigger trg_orders_campaign_conversion_update after update of status on orders
    for each row when (new.status = 'paid' and old.status is distinct from new.status)
    execute function attribute_campaign_conversion();

-- A hard bounce also marks the campaign recipient whose message it was.
create or replace function mark_bounced_recipient() returns trigger
language plpgsql as $$
begin
    update newsletter_subscriptions
    set status = 'bounced', unsubscribed_at = now(), unsubscribe_reason = 'bounced'
    where email = lower(btrim(new.recipient)) and status in ('pending', 'subscribed');
    update campaign_recipients set status = 'bounced'
    where message_id = new.message_id and status not in ('unsubscribed', 'converted');
    return null;
end;
$$;
