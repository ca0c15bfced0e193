-- 0127: the reporting rollup triggers (0041, 0060) do only the work a statement's rows call for.
-- Under the checkout mix they were most of PostgreSQL's time a checkout (about 18 ms of statement
-- time in the triggers of `insert into order_items`, `update orders` and `insert into orders`),
-- though most of their calls move no rollup: the lines of an order are written while it is still
-- pending (not revenue, so in no line rollup), and every call first turned each whole row of the
-- statement into JSON (a line carries its product snapshot, an order its addresses) to throw most
-- of it away. Now:
--   * the order lines' trigger returns at once unless an order it touches is revenue;
--   * the orders' trigger passes on only the columns the rollups read, and on an update only the
--     rows whose reported attributes changed (the others cancelled out in report_orders_changed);
--   * report_orders_changed keeps its change set in a variable, not a session temp table (which
--     cost a lookup, three statements and a truncation at commit each time);
--   * the rollup upserts are PL/pgSQL, whose plans are kept per connection (a SQL function's
--     statements were planned again at every call);
--   * a buyer's summary is recomputed only when a revenue order of theirs left or changed.
-- The rollups are the same: ReportRollupTests and ReportTriggerTests compare them with a rebuild
-- from the base tables.

create or replace function report_orders_trigger() returns trigger
language plpgsql as $$
declare
    changed bigint[];
begin
    if tg_op = 'INSERT' then
        perform report_orders_changed('[]', (
            select coalesce(jsonb_agg(r), '[]')
            from (select id, user_id, created_at, payment_method_id, status, paid_at, delivered_at, total_amount, discount_amount, shipping_amount
                  from new_rows) r));
    elsif tg_op = 'UPDATE' then
        -- Only rows whose reported attributes changed, compared as report_orders_changed compares them.
        select array_agg(coalesce(o.id, n.id)) into changed
        from old_rows o full join new_rows n on n.id = o.id
        where o.id is null or n.id is null
           or (o.user_id, o.created_at, o.payment_method_id, o.status, o.paid_at is null, o.delivered_at is null,
               o.total_amount, o.discount_amount, o.shipping_amount)
              is distinct from
              (n.user_id, n.created_at, n.payment_method_id, n.status, n.paid_at is null, n.delivered_at is null,
               n.total_amount, n.discount_amount, n.shipping_amount);
        if changed is not null then
            perform report_orders_changed(
                (select coalesce(jsonb_agg(r), '[]')
                 from (select id, user_id, created_at, payment_method_id, status, paid_at, delivered_at, total_amount, discount_amount, shipping_amount
                       from old_rows where id = any (changed)) r),
                (select coalesce(jsonb_agg(r), '[]')
                 from (select id, user_id, created_at, payment_method_id, status, paid_at, delivered_at, total_amount, discount_amount, shipping_amount
                       from new_rows where id = any (changed)) r));
        end if;
    end if;
    return null;
end
$$;

-- The orders trigger's work, given the statement's old and new rows (their reported columns) as JSON arrays.
create or replace function report_orders_changed(old_rows jsonb, new_rows jsonb) returns void
language plpgsql as $$
declare
    changes jsonb;
    removed_users bigint[];
begin
    -- Rows whose reported attributes did not change cancel out: drop both sides early.
    with c as (
        select -1 as sign, o.*
        from jsonb_to_recordset(old_rows) as o(id bigint, user_id bigint, created_at timestamptz, payment_method_id bigint, status varchar,
                                               paid_at timestamptz, delivered_at timestamptz, total_amount numeric,
                                               discount_amount numeric, shipping_amount numeric)
        union all
        select 1, n.*
        from jsonb_to_recordset(new_rows) as n(id bigint, user_id bigint, created_at timestamptz, payment_method_id bigint, status varchar,
                                               paid_at timestamptz, delivered_at timestamptz, total_amount numeric,
                                               discount_amount numeric, shipping_amount numeric)
    )
    select jsonb_agg(c) into changes
    from c
    where c.id not in (select id from c group by id, user_id, created_at, payment_method_id, status, paid_at is null,
                                                  delivered_at is null, total_amount, discount_amount, shipping_amount
                       having sum(sign) = 0);
    if changes is null then
        return;
    end if;

    perform report_apply_orders(changes);

    -- Revenue orders that entered (1) or left (-1) the revenue set, or moved to another day.
    perform report_apply_lines((
        select jsonb_agg(jsonb_build_object('day', f.day, 'sign', f.sign, 'order_id', i.order_id, 'product_id', i.product_id,
                                            'quantity', i.quantity, 'total_price', i.total_price))
        from (select c.id, report_day(c.created_at) as day, sum(c.sign) as sign
              from jsonb_to_recordset(changes) as c(sign int, id bigint, created_at timestamptz, status varchar)
              where report_is_revenue(c.status)
              group by 1, 2 having sum(c.sign) <> 0) f
        join order_items i on i.order_id = f.id));

    select coalesce(array_agg(distinct c.user_id), '{}') into removed_users
    from jsonb_to_recordset(changes) as c(sign int, user_id bigint, status varchar)
    where c.sign < 0 and report_is_revenue(c.status);
    if cardinality(removed_users) > 0 then
        perform report_recompute_customers(removed_users);
    end if;
    -- Only added revenue orders of other buyers: add to their summary.
    insert into report_customer_summary as t (user_id, orders, gross, refunds, first_order_at, last_order_at)
    select c.user_id, count(*), sum(c.total_amount), sum(coalesce(rf.amount, 0)), min(c.created_at), max(c.created_at)
    from jsonb_to_recordset(changes) as c(sign int, id bigint, user_id bigint, created_at timestamptz, status varchar, total_amount numeric)
    left join report_order_refunds rf on rf.order_id = c.id
    where c.sign > 0 and report_is_revenue(c.status) and c.user_id <> all (removed_users)
    group by c.user_id
    order by c.user_id
    on conflict (user_id) do update
    set orders = t.orders + excluded.orders, gross = t.gross + excluded.gross, refunds = t.refunds + excluded.refunds,
        first_order_at = least(t.first_order_at, excluded.first_order_at), last_order_at = greatest(t.last_order_at, excluded.last_order_at);
end
$$;

create or replace function report_order_items_trigger() returns trigger
language plpgsql as $$
begin
    -- Lines of orders that are not revenue (a checkout writes its lines while the order is pending)
    -- are in no rollup: nothing to do unless a touched order is revenue now.
    if tg_op = 'INSERT' then
        if exists (select 1 from orders o where o.id in (select order_id from new_rows) and report_is_revenue(o.status)) then
            perform report_order_items_changed('[]', (
                select coalesce(jsonb_agg(r), '[]') from (select id, order_id, product_id, quantity, total_price from new_rows) r));
        end if;
    elsif tg_op = 'UPDATE' then
        if exists (select 1 from orders o
                   where o.id in (select order_id from old_rows union select order_id from new_rows) and report_is_revenue(o.status)) then
            perform report_order_items_changed(
                (select coalesce(jsonb_agg(r), '[]') from (select id, order_id, product_id, quantity, total_price from old_rows) r),
                (select coalesce(jsonb_agg(r), '[]') from (select id, order_id, product_id, quantity, total_price from new_rows) r));
        end if;
    else
        if exists (select 1 from orders o where o.id in (select order_id from old_rows) and report_is_revenue(o.status)) then
            perform report_order_items_changed(
                (select coalesce(jsonb_agg(r), '[]') from (select id, order_id, product_id, quantity, total_price from old_rows) r), '[]');
        end if;
    end if;
    return null;
end
$$;

-- The rollup upserts of 0060, unchanged but for the language (see above).
create or replace function report_apply_orders(changes jsonb) returns void
language plpgsql as $$
begin
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
        discounts = t.discounts + excluded.discounts, shipping = t.shipping + excluded.shipping;
end
$$;

create or replace function report_apply_lines(changes jsonb) returns void
language plpgsql as $$
begin
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
    set units = t.units + excluded.units, item_revenue = t.item_revenue + excluded.item_revenue, orders = t.orders + excluded.orders;
end
$$;
