-- 0060: the daily rollups (0041) kept per shard of orders. Every order projection transaction
-- added to the same few rows (one per day, payment method and status), so concurrent checkouts
-- queued on those rows' locks inside the projection's transaction, holding a pooled connection
-- each while they waited: under a 64-worker checkout mix the rollup upsert took 10 ms a call,
-- most of it waiting. An order's rows now live in shard id % 16, so two concurrent orders meet on
-- a row one time in 16; an order always lands in the same shard, so its removal (sign -1) meets
-- its addition, and "orders with this product" stays a per-shard distinct count that sums across
-- shards. Readers already sum over the rows of a day; the rollups are rebuilt below with shards.

create function report_shard(order_id bigint) returns smallint
language sql immutable as $$
    select (order_id % 16)::smallint
$$;

alter table report_daily_orders add column shard smallint not null default 0;
alter table report_daily_orders drop constraint uq_report_daily_orders;
alter table report_daily_orders add constraint uq_report_daily_orders
    unique nulls not distinct (day, payment_method_id, status, paid, delivered, shard);

alter table report_daily_products add column shard smallint not null default 0;
alter table report_daily_products drop constraint report_daily_products_pkey;
alter table report_daily_products add primary key (day, product_id, shard);

alter table report_daily_categories add column shard smallint not null default 0;
alter table report_daily_categories drop constraint uq_report_daily_categories;
alter table report_daily_categories add constraint uq_report_daily_categories unique nulls not distinct (day, category_id, shard);

create or replace function report_apply_orders(changes jsonb) returns void
language sql as $$
    insert into report_daily_orders as t (day, payment_method_id, status, paid, delivered, shard, orders, gross, refunds, discounts, shipping)
    select report_day(c.created_at), c.payment_method_id, c.status, c.paid_at is not null, c.delivered_at is not null, report_shard(c.id),
           sum(c.sign), sum(c.sign * c.total_amount), sum(c.sign * coalesce(rf.amount, 0)),
           sum(c.sign * c.discount_amount), sum(c.sign * c.shipping_amount)
    from jsonb_to_recordset(changes) as c(sign int, id bigint, created_at timestamptz, payment_method_id bigint, status varchar,
                                          paid_at timestamptz, delivered_at timestamptz, total_amount numeric,
                                          discount_amount numeric, shipping_amount numeric)
    left join report_order_refunds rf on rf.order_id = c.id
    group by 1, 2, 3, 4, 5, 6
    having sum(c.sign) <> 0 or sum(c.sign * c.total_amount) <> 0 or sum(c.sign * coalesce(rf.amount, 0)) <> 0
        or sum(c.sign * c.discount_amount) <> 0 or sum(c.sign * c.shipping_amount) <> 0
    order by 1, 2, 3, 4, 5, 6
    on conflict on constraint uq_report_daily_orders do update
    set orders = t.orders + excluded.orders, gross = t.gross + excluded.gross, refunds = t.refunds + excluded.refunds,
        discounts = t.discounts + excluded.discounts, shipping = t.shipping + excluded.shipping
$$;

create or replace function report_apply_lines(changes jsonb) returns void
language sql as $$
    with lines as (
        select l.day, report_shard(l.order_id) as shard, l.sign, l.order_id, l.product_id, p.category_id, l.quantity, l.total_price
        from jsonb_to_recordset(changes) as l(day date, sign int, order_id bigint, product_id bigint, quantity int, total_price numeric)
        join products p on p.id = l.product_id
    ), products_delta as (
        insert into report_daily_products as t (day, product_id, shard, units, item_revenue, orders)
        select day, product_id, shard, sum(sign * quantity), sum(sign * total_price), count(distinct order_id) filter (where sign > 0) - count(distinct order_id) filter (where sign < 0)
        from lines
        group by day, product_id, shard
        order by day, product_id, shard
        on conflict (day, product_id, shard) do update
        set units = t.units + excluded.units, item_revenue = t.item_revenue + excluded.item_revenue, orders = t.orders + excluded.orders
    )
    insert into report_daily_categories as t (day, category_id, shard, units, item_revenue, orders)
    select day, category_id, shard, sum(sign * quantity), sum(sign * total_price), count(distinct order_id) filter (where sign > 0) - count(distinct order_id) filter (where sign < 0)
    from lines
    group by day, category_id, shard
    order by day, category_id, shard
    on conflict on constraint uq_report_daily_categories do update
    set units = t.units + excluded.units, item_revenue = t.item_revenue + excluded.item_revenue, orders = t.orders + excluded.orders
$$;

create or replace function report_refunds_changed(old_rows jsonb, new_rows jsonb) returns void
language plpgsql as $$
begin
    if to_regclass('pg_temp.report_refund_changes') is null then
        create temp table report_refund_changes (order_id bigint, amount numeric) on commit delete rows;
    end if;
    delete from report_refund_changes;
    insert into report_refund_changes
    select p.order_id, sum(r.sign * r.amount)
    from (select -1 as sign, o.payment_id, o.amount from jsonb_populate_recordset(null::payment_refunds, old_rows) o where o.status = 'succeeded'
          union all
          select 1, n.payment_id, n.amount from jsonb_populate_recordset(null::payment_refunds, new_rows) n where n.status = 'succeeded') r
    join payments p on p.id = r.payment_id
    group by p.order_id
    having sum(r.sign * r.amount) <> 0;

    insert into report_order_refunds as t (order_id, amount)
    select order_id, amount from report_refund_changes order by order_id
    on conflict (order_id) do update set amount = t.amount + excluded.amount;

    insert into report_daily_orders as t (day, payment_method_id, status, paid, delivered, shard, orders, gross, refunds, discounts, shipping)
    select report_day(o.created_at), o.payment_method_id, o.status, o.paid_at is not null, o.delivered_at is not null, report_shard(o.id),
           0, 0, sum(c.amount), 0, 0
    from report_refund_changes c join orders o on o.id = c.order_id
    group by 1, 2, 3, 4, 5, 6
    order by 1, 2, 3, 4, 5, 6
    on conflict on constraint uq_report_daily_orders do update set refunds = t.refunds + excluded.refunds;

    update report_customer_summary t set refunds = t.refunds + d.amount
    from (select o.user_id, sum(c.amount) as amount
          from report_refund_changes c join orders o on o.id = c.order_id
          where report_is_revenue(o.status)
          group by o.user_id) d
    where t.user_id = d.user_id;
end
$$;

create or replace function report_rebuild_categories(categories bigint[]) returns void
language sql as $$
    delete from report_daily_categories t
    where exists (select 1 from unnest(categories) c where c is not distinct from t.category_id);
    insert into report_daily_categories (day, category_id, shard, units, item_revenue, orders)
    select report_day(o.created_at), p.category_id, report_shard(o.id), sum(i.quantity), sum(i.total_price), count(distinct o.id)
    from products p
    join order_items i on i.product_id = p.id
    join orders o on o.id = i.order_id
    where report_is_revenue(o.status)
      and exists (select 1 from unnest(categories) c where c is not distinct from p.category_id)
    group by 1, 2, 3;
$$;

create or replace function report_rollups_rebuild() returns void
language sql as $$
    truncate report_order_refunds, report_daily_orders, report_daily_products, report_daily_categories, report_customer_summary;

    insert into report_order_refunds (order_id, amount)
    select p.order_id, sum(r.amount)
    from payment_refunds r join payments p on p.id = r.payment_id
    where r.status = 'succeeded'
    group by p.order_id;

    insert into report_daily_orders (day, payment_method_id, status, paid, delivered, shard, orders, gross, refunds, discounts, shipping)
    select report_day(o.created_at), o.payment_method_id, o.status, o.paid_at is not null, o.delivered_at is not null, report_shard(o.id),
           count(*), sum(o.total_amount), sum(coalesce(rf.amount, 0)), sum(o.discount_amount), sum(o.shipping_amount)
    from orders o left join report_order_refunds rf on rf.order_id = o.id
    group by 1, 2, 3, 4, 5, 6;

    insert into report_daily_products (day, product_id, shard, units, item_revenue, orders)
    select report_day(o.created_at), i.product_id, report_shard(o.id), sum(i.quantity), sum(i.total_price), count(distinct o.id)
    from orders o join order_items i on i.order_id = o.id
    where report_is_revenue(o.status)
    group by 1, 2, 3;

    select report_rebuild_categories(array(select id from categories) || array[null::bigint]);

    insert into report_customer_summary (user_id, orders, gross, refunds, first_order_at, last_order_at)
    select o.user_id, count(*), sum(o.total_amount), sum(coalesce(rf.amount, 0)), min(o.created_at), max(o.created_at)
    from orders o left join report_order_refunds rf on rf.order_id = o.id
    where report_is_revenue(o.status)
    group by o.user_id;
$$;

select report_rollups_rebuild();
