-- 0041: rollups for the reporting reader (docs/REPORTS.md, "Rollups"). They are kept by triggers
-- on orders, order_items, payment_refunds and products, so every writer (the order projection,
-- the data generator, a manual fix in psql) keeps them current in its own transaction, and a
-- re-applied projection that changes nothing changes no rollup. Statement-level triggers with
-- transition tables: a COPY of 20,000 orders runs each trigger once, not 20,000 times.
--
-- Days are business days in America/Sao_Paulo (ReportRange.DefaultTimeZone); a report in another
-- zone or with a range that does not start and end at midnight reads the base tables instead.
-- Orders are never deleted (payments restrict it); their deletion is not followed here.

-- Succeeded refunds per order: what every report's net revenue subtracts.
create table report_order_refunds (
    order_id bigint primary key references orders (id) on delete cascade,
    amount   numeric not null
);

-- Every order by business day and the attributes the sales and funnel reports filter on.
create table report_daily_orders (
    day               date        not null,
    payment_method_id bigint,
    status            varchar(20) not null,
    paid              boolean     not null, -- paid_at is not null
    delivered         boolean     not null, -- delivered_at is not null
    orders            bigint      not null,
    gross             numeric     not null, -- total_amount
    refunds           numeric     not null, -- succeeded refunds of these orders
    discounts         numeric     not null,
    shipping          numeric     not null,
    constraint uq_report_daily_orders unique nulls not distinct (day, payment_method_id, status, paid, delivered)
);

-- Lines of revenue orders by business day and product; orders = orders with the product.
create table report_daily_products (
    day          date    not null,
    product_id   bigint  not null,
    units        bigint  not null,
    item_revenue numeric not null,
    orders       bigint  not null,
    primary key (day, product_id)
);

-- The same by the products' current category; orders = orders with a line in the category.
create table report_daily_categories (
    day          date    not null,
    category_id  bigint,
    units        bigint  not null,
    item_revenue numeric not null,
    orders       bigint  not null,
    constraint uq_report_daily_categories unique nulls not distinct (day, category_id)
);

-- Revenue orders per buyer, all time.
create table report_customer_summary (
    user_id        bigint primary key,
    orders         bigint      not null,
    gross          numeric     not null,
    refunds        numeric     not null,
    first_order_at timestamptz not null,
    last_order_at  timestamptz not null
);
create index idx_report_customer_summary_net on report_customer_summary ((gross - refunds) desc, user_id);
create index idx_report_customer_summary_first on report_customer_summary (first_order_at);

-- The range scans that remain on orders (buyers of a range) read only the index.
create index idx_orders_created_report on orders (created_at) include (status, user_id, total_amount, id);
-- Point flows of a range without visiting the heap.
create index idx_loyalty_transactions_created_report on loyalty_transactions (created_at)
    include (transaction_type, points_change, customer_loyalty_id);

create function report_is_revenue(status varchar) returns boolean
language sql immutable as $$
    select status in ('paid', 'processing', 'shipped', 'delivered', 'partially_refunded')
$$;

create function report_day(at timestamptz) returns date
language sql immutable as $$
    select (at at time zone 'America/Sao_Paulo')::date
$$;

-- Adds order rows (sign 1) or takes them away (sign -1) from the daily orders rollup, each with its
-- current refund total.
create function report_apply_orders(changes jsonb) returns void
language sql as $$
    insert into report_daily_orders as t (day, payment_method_id, status, paid, delivered, orders, gross, refunds, discounts, shipping)
    select report_day(c.created_at), c.payment_method_id, c.status, c.paid_at is not null, c.delivered_at is not null,
           sum(c.sign), sum(c.sign * c.total_amount), sum(c.sign * coalesce(rf.amount, 0)),
           sum(c.sign * c.discount_amount), sum(c.sign * c.shipping_amount)
    from jsonb_to_recordset(changes) as c(sign int, id bigint, created_at timestamptz, payment_method_id bigint, status varchar,
                                          paid_at timestamptz, delivered_at timestamptz, total_amount numeric,
                                          discount_amount numeric, shipping_amount numeric)
    left join report_order_refunds rf on rf.order_id = c.id
    group by 1, 2, 3, 4, 5
    having sum(c.sign) <> 0 or sum(c.sign * c.total_amount) <> 0 or sum(c.sign * coalesce(rf.amount, 0)) <> 0
        or sum(c.sign * c.discount_amount) <> 0 or sum(c.sign * c.shipping_amount) <> 0
    order by 1, 2, 3, 4, 5
    on conflict on constraint uq_report_daily_orders do update
    set orders = t.orders + excluded.orders, gross = t.gross + excluded.gross, refunds = t.refunds + excluded.refunds,
        discounts = t.discounts + excluded.discounts, shipping = t.shipping + excluded.shipping
$$;

-- Line sets of revenue orders: each (day, sign, order) set adds or removes its lines. "orders"
-- counts an order once per product (and per category) however many lines it has there, so a set
-- is the order's whole line list before or after the change, never a single line.
create function report_apply_lines(changes jsonb) returns void
language sql as $$
    with lines as (
        select l.day, l.sign, l.order_id, l.product_id, p.category_id, l.quantity, l.total_price
        from jsonb_to_recordset(changes) as l(day date, sign int, order_id bigint, product_id bigint, quantity int, total_price numeric)
        join products p on p.id = l.product_id
    ), products_delta as (
        insert into report_daily_products as t (day, product_id, units, item_revenue, orders)
        select day, product_id, sum(sign * quantity), sum(sign * total_price), count(distinct order_id) filter (where sign > 0) - count(distinct order_id) filter (where sign < 0)
        from lines
        group by day, product_id
        order by day, product_id
        on conflict (day, product_id) do update
        set units = t.units + excluded.units, item_revenue = t.item_revenue + excluded.item_revenue, orders = t.orders + excluded.orders
    )
    insert into report_daily_categories as t (day, category_id, units, item_revenue, orders)
    select day, category_id, sum(sign * quantity), sum(sign * total_price), count(distinct order_id) filter (where sign > 0) - count(distinct order_id) filter (where sign < 0)
    from lines
    group by day, category_id
    order by day, category_id
    on conflict on constraint uq_report_daily_categories do update
    set units = t.units + excluded.units, item_revenue = t.item_revenue + excluded.item_revenue, orders = t.orders + excluded.orders
$$;

-- Buyers whose revenue orders were taken away or moved: summed again from orders (few rows each).
create function report_recompute_customers(users bigint[]) returns void
language sql as $$
    delete from report_customer_summary where user_id = any (users);
    insert into report_customer_summary (user_id, orders, gross, refunds, first_order_at, last_order_at)
    select o.user_id, count(*), sum(o.total_amount), sum(coalesce(rf.amount, 0)), min(o.created_at), max(o.created_at)
    from orders o left join report_order_refunds rf on rf.order_id = o.id
    where o.user_id = any (users) and report_is_revenue(o.status)
    group by o.user_id;
$$;

-- The orders trigger's work, given the statement's old and new rows as JSON arrays.
create function report_orders_changed(old_rows jsonb, new_rows jsonb) returns void
language plpgsql as $$
declare
    removed_users bigint[];
begin
    -- Rows whose reported attributes did not change cancel out: drop both sides early.
    if to_regclass('pg_temp.report_order_changes') is null then
        create temp table report_order_changes (sign int, id bigint, user_id bigint, created_at timestamptz,
            payment_method_id bigint, status varchar, paid_at timestamptz, delivered_at timestamptz, total_amount numeric,
            discount_amount numeric, shipping_amount numeric) on commit delete rows;
    end if;
    delete from report_order_changes;
    insert into report_order_changes
    select -1, o.id, o.user_id, o.created_at, o.payment_method_id, o.status, o.paid_at, o.delivered_at, o.total_amount, o.discount_amount, o.shipping_amount
    from jsonb_populate_recordset(null::orders, old_rows) o
    union all
    select 1, n.id, n.user_id, n.created_at, n.payment_method_id, n.status, n.paid_at, n.delivered_at, n.total_amount, n.discount_amount, n.shipping_amount
    from jsonb_populate_recordset(null::orders, new_rows) n;
    delete from report_order_changes c
    where c.id in (select id from report_order_changes group by id, user_id, created_at, payment_method_id, status, paid_at is null,
                                                             delivered_at is null, total_amount, discount_amount, shipping_amount
                   having sum(sign) = 0);
    if not exists (select 1 from report_order_changes) then
        return;
    end if;

    perform report_apply_orders((select jsonb_agg(c) from report_order_changes c));

    -- Revenue orders that entered (1) or left (-1) the revenue set, or moved to another day.
    perform report_apply_lines((
        select jsonb_agg(jsonb_build_object('day', f.day, 'sign', f.sign, 'order_id', i.order_id, 'product_id', i.product_id,
                                            'quantity', i.quantity, 'total_price', i.total_price))
        from (select c.id, report_day(c.created_at) as day, sum(c.sign) as sign
              from report_order_changes c where report_is_revenue(c.status)
              group by 1, 2 having sum(c.sign) <> 0) f
        join order_items i on i.order_id = f.id));

    select coalesce(array_agg(distinct c.user_id), '{}') into removed_users
    from report_order_changes c where c.sign < 0 and report_is_revenue(c.status);
    perform report_recompute_customers(removed_users);
    -- Only added revenue orders of other buyers: add to their summary.
    insert into report_customer_summary as t (user_id, orders, gross, refunds, first_order_at, last_order_at)
    select c.user_id, count(*), sum(c.total_amount), sum(coalesce(rf.amount, 0)), min(c.created_at), max(c.created_at)
    from report_order_changes c left join report_order_refunds rf on rf.order_id = c.id
    where c.sign > 0 and report_is_revenue(c.status) and c.user_id <> all (removed_users)
    group by c.user_id
    order by c.user_id
    on conflict (user_id) do update
    set orders = t.orders + excluded.orders, gross = t.gross + excluded.gross, refunds = t.refunds + excluded.refunds,
        first_order_at = least(t.first_order_at, excluded.first_order_at), last_order_at = greatest(t.last_order_at, excluded.last_order_at);
end
$$;

create function report_orders_trigger() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform report_orders_changed('[]', (select coalesce(jsonb_agg(n), '[]') from new_rows n));
    elsif tg_op = 'UPDATE' then
        perform report_orders_changed((select coalesce(jsonb_agg(o), '[]') from old_rows o), (select coalesce(jsonb_agg(n), '[]') from new_rows n));
    end if;
    return null;
end
$$;

create trigger trg_orders_report_insert after insert on orders
    referencing new table as new_rows for each statement execute function report_orders_trigger();
create trigger trg_orders_report_update after update on orders
    referencing old table as old_rows new table as new_rows for each statement execute function report_orders_trigger();

-- Lines added, changed or removed on orders that are revenue now: the whole line set of each such
-- order before the statement comes off, the set after it goes on.
create function report_order_items_changed(old_rows jsonb, new_rows jsonb) returns void
language sql as $$
    with touched as (
        select distinct (l ->> 'order_id')::bigint as order_id from jsonb_array_elements(old_rows || new_rows) l
    ), revenue as (
        select o.id, report_day(o.created_at) as day
        from orders o join touched t on t.order_id = o.id
        where report_is_revenue(o.status)
    ), new_ids as (
        select (l ->> 'id')::bigint as id from jsonb_array_elements(new_rows) l
    ), before_lines as (
        select i.order_id, i.product_id, i.quantity, i.total_price
        from order_items i join revenue r on r.id = i.order_id
        where i.id not in (select id from new_ids)
        union all
        select o.order_id, o.product_id, o.quantity, o.total_price
        from jsonb_populate_recordset(null::order_items, old_rows) o join revenue r on r.id = o.order_id
    )
    select report_apply_lines(jsonb_agg(x))
    from (select r.day, -1 as sign, b.order_id, b.product_id, b.quantity, b.total_price
          from before_lines b join revenue r on r.id = b.order_id
          union all
          select r.day, 1, i.order_id, i.product_id, i.quantity, i.total_price
          from order_items i join revenue r on r.id = i.order_id) x
    having count(*) > 0
$$;

create function report_order_items_trigger() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform report_order_items_changed('[]', (select coalesce(jsonb_agg(n), '[]') from new_rows n));
    elsif tg_op = 'UPDATE' then
        perform report_order_items_changed((select coalesce(jsonb_agg(o), '[]') from old_rows o), (select coalesce(jsonb_agg(n), '[]') from new_rows n));
    else
        perform report_order_items_changed((select coalesce(jsonb_agg(o), '[]') from old_rows o), '[]');
    end if;
    return null;
end
$$;

create trigger trg_order_items_report_insert after insert on order_items
    referencing new table as new_rows for each statement execute function report_order_items_trigger();
create trigger trg_order_items_report_update after update on order_items
    referencing old table as old_rows new table as new_rows for each statement execute function report_order_items_trigger();
create trigger trg_order_items_report_delete after delete on order_items
    referencing old table as old_rows for each statement execute function report_order_items_trigger();

-- Succeeded refund amounts that changed, per order: the order's refund total, its day's refunds
-- and its buyer's summary move by the same amount.
create function report_refunds_changed(old_rows jsonb, new_rows jsonb) returns void
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

    insert into report_daily_orders as t (day, payment_method_id, status, paid, delivered, orders, gross, refunds, discounts, shipping)
    select report_day(o.created_at), o.payment_method_id, o.status, o.paid_at is not null, o.delivered_at is not null, 0, 0, sum(c.amount), 0, 0
    from report_refund_changes c join orders o on o.id = c.order_id
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5
    on conflict on constraint uq_report_daily_orders do update set refunds = t.refunds + excluded.refunds;

    update report_customer_summary t set refunds = t.refunds + d.amount
    from (select o.user_id, sum(c.amount) as amount
          from report_refund_changes c join orders o on o.id = c.order_id
          where report_is_revenue(o.status)
          group by o.user_id) d
    where t.user_id = d.user_id;
end
$$;

create function report_refunds_trigger() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform report_refunds_changed('[]', (select coalesce(jsonb_agg(n), '[]') from new_rows n));
    elsif tg_op = 'UPDATE' then
        perform report_refunds_changed((select coalesce(jsonb_agg(o), '[]') from old_rows o), (select coalesce(jsonb_agg(n), '[]') from new_rows n));
    else
        perform report_refunds_changed((select coalesce(jsonb_agg(o), '[]') from old_rows o), '[]');
    end if;
    return null;
end
$$;

create trigger trg_payment_refunds_report_insert after insert on payment_refunds
    referencing new table as new_rows for each statement execute function report_refunds_trigger();
create trigger trg_payment_refunds_report_update after update on payment_refunds
    referencing old table as old_rows new table as new_rows for each statement execute function report_refunds_trigger();
create trigger trg_payment_refunds_report_delete after delete on payment_refunds
    referencing old table as old_rows for each statement execute function report_refunds_trigger();

-- The category rollup of some categories (null in the list: products without one) from the base
-- tables: a product moved to another category takes its history along, as the base query would.
create function report_rebuild_categories(categories bigint[]) returns void
language sql as $$
    delete from report_daily_categories t
    where exists (select 1 from unnest(categories) c where c is not distinct from t.category_id);
    insert into report_daily_categories (day, category_id, units, item_revenue, orders)
    select report_day(o.created_at), p.category_id, sum(i.quantity), sum(i.total_price), count(distinct o.id)
    from products p
    join order_items i on i.product_id = p.id
    join orders o on o.id = i.order_id
    where report_is_revenue(o.status)
      and exists (select 1 from unnest(categories) c where c is not distinct from p.category_id)
    group by 1, 2;
$$;

create function report_products_trigger() returns trigger
language plpgsql as $$
declare
    moved bigint[];
begin
    select array_agg(distinct c) into moved
    from old_rows o join new_rows n on n.id = o.id,
         lateral (values (o.category_id), (n.category_id)) v(c)
    where o.category_id is distinct from n.category_id;
    if moved is not null then
        perform report_rebuild_categories(moved);
    end if;
    return null;
end
$$;

-- Every rollup from the base tables: the backfill below, and the check that the triggers kept them exact.
create function report_rollups_rebuild() returns void
language sql as $$
    truncate report_order_refunds, report_daily_orders, report_daily_products, report_daily_categories, report_customer_summary;

    insert into report_order_refunds (order_id, amount)
    select p.order_id, sum(r.amount)
    from payment_refunds r join payments p on p.id = r.payment_id
    where r.status = 'succeeded'
    group by p.order_id;

    insert into report_daily_orders (day, payment_method_id, status, paid, delivered, orders, gross, refunds, discounts, shipping)
    select report_day(o.created_at), o.payment_method_id, o.status, o.paid_at is not null, o.delivered_at is not null,
           count(*), sum(o.total_amount), sum(coalesce(rf.amount, 0)), sum(o.discount_amount), sum(o.shipping_amount)
    from orders o left join report_order_refunds rf on rf.order_id = o.id
    group by 1, 2, 3, 4, 5;

    insert into report_daily_products (day, product_id, units, item_revenue, orders)
    select report_day(o.created_at), i.product_id, sum(i.quantity), sum(i.total_price), count(distinct o.id)
    from orders o join order_items i on i.order_id = o.id
    where report_is_revenue(o.status)
    group by 1, 2;

    select report_rebuild_categories(array(select id from categories) || array[null::bigint]);

    insert into report_customer_summary (user_id, orders, gross, refunds, first_order_at, last_order_at)
    select o.user_id, count(*), sum(o.total_amount), sum(coalesce(rf.amount, 0)), min(o.created_at), max(o.created_at)
    from orders o left join report_order_refunds rf on rf.order_id = o.id
    where report_is_revenue(o.status)
    group by o.user_id;
$$;

create trigger trg_products_report_category after update on products
    referencing old table as old_rows new table as new_rows for each statement execute function report_products_trigger();

select report_rollups_rebuild();
