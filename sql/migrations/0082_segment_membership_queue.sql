-- 0082: segments kept up to date as their facts change.
-- A change that can move a customer in or out of a segment (an order paid or refunded, a refund,
-- the customer's address or status, a group membership, a loyalty tier, a newsletter
-- subscription) queues the customer here in its own transaction; the segment refresher
-- re-evaluates the queued customers against every active segment and removes them from the
-- queue in one transaction. One row per customer: a burst of changes is one re-evaluation, and
-- no single row is written by every order. Membership that changes with time alone ("no order in
-- 90 days") is the full recomputation's job, run on a schedule.

create table customer_segment_queue (
    customer_id     bigint primary key references customers (id) on delete cascade,
    queued_at       timestamptz not null default now()
);

create index idx_customer_segment_queue_time on customer_segment_queue (queued_at);

create function queue_segment_customers() returns trigger
language plpgsql as $$
begin
    case tg_table_name
        when 'orders' then
            insert into customer_segment_queue (customer_id)
            select c.id from customers c where c.user_id = new.user_id
            on conflict do nothing;
        when 'payment_refunds' then
            insert into customer_segment_queue (customer_id)
            select c.id from payments p join orders o on o.id = p.order_id join customers c on c.user_id = o.user_id
            where p.id = new.payment_id
            on conflict do nothing;
        when 'customers' then
            insert into customer_segment_queue (customer_id) values (new.id) on conflict do nothing;
        when 'users' then
            insert into customer_segment_queue (customer_id)
            select c.id from customers c where c.user_id = new.id
            on conflict do nothing;
        when 'customer_loyalty' then
            insert into customer_segment_queue (customer_id) values (new.customer_id) on conflict do nothing;
        when 'customer_group_members' then
            -- A membership removed with its customer (cascade) leaves no one to queue.
            if tg_op <> 'INSERT' and exists (select 1 from customers where id = old.customer_id) then
                insert into customer_segment_queue (customer_id) values (old.customer_id) on conflict do nothing;
            end if;
            if tg_op <> 'DELETE' then
                insert into customer_segment_queue (customer_id) values (new.customer_id) on conflict do nothing;
            end if;
        when 'newsletter_subscriptions' then
            if tg_op <> 'INSERT' then
                insert into customer_segment_queue (customer_id)
                select c.id from users u join customers c on c.user_id = u.id where u.email = old.email
                on conflict do nothing;
            end if;
            if tg_op <> 'DELETE' then
                insert into customer_segment_queue (customer_id)
                select c.id from users u join customers c on c.user_id = u.id where u.email = new.email
                on conflict do nothing;
            end if;
    end case;
    return null;
end;
$$;

-- Only the moves that change a figure a criterion reads: an order's payment and its refunds.
create trigger trg_orders_segments after update of status on orders
    for each row when (old.status is distinct from new.status
                       and new.status in ('paid', 'partially_refunded', 'refunded'))
    execute function queue_segment_customers();
create trigger trg_payment_refunds_segments after insert or update of status on payment_refunds
    for each row when (new.status = 'succeeded')
    execute function queue_segment_customers();
create trigger trg_customers_segments_insert after insert on customers
    for each row execute function queue_segment_customers();
create trigger trg_customers_segments_update after update of shipping_address, billing_address, is_active on customers
    for each row execute function queue_segment_customers();
create trigger trg_users_segments after update of email on users
    for each row when (old.email is distinct from new.email)
    execute function queue_segment_customers();
create trigger trg_customer_loyalty_segments after insert or update of tier_level on customer_loyalty
    for each row execute function queue_segment_customers();
create trigger trg_customer_group_members_segments after insert or update or delete on customer_group_members
    for each row execute function queue_segment_customers();
create trigger trg_newsletter_segments after insert or update of status, email or delete on newsletter_subscriptions
    for each row execute function queue_segment_customers();
