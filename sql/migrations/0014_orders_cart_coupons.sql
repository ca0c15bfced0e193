-- 0014: orders, cart and coupons (8 tables): orders, order_items, order_status_history,
-- shopping_cart, wishlist, coupons, coupon_usage, returns.
-- These are read models projected from grains (cart, order, coupon). Each projected table has a
-- natural unique key or an event_id so that re-applying an outbox entry is a no-op (sql/README.md).
-- orders.payment_method_id gets its foreign key in 0015, where payment_methods is created.

create table orders (
    id                  bigint generated always as identity primary key,
    order_number        varchar(30) not null unique,
    user_id             bigint not null references users (id) on delete restrict,
    status              varchar(20) not null default 'pending'
                        check (status in ('pending', 'awaiting_payment', 'paid', 'processing', 'shipped',
                                          'delivered', 'cancelled', 'refunded', 'partially_refunded')),
    subtotal            numeric(12,2) not null default 0 check (subtotal >= 0),
    tax_amount          numeric(12,2) not null default 0 check (tax_amount >= 0),
    shipping_amount     numeric(12,2) not null default 0 check (shipping_amount >= 0),
    discount_amount     numeric(12,2) not null default 0 check (discount_amount >= 0),
    total_amount        numeric(12,2) not null default 0 check (total_amount >= 0),
    currency            char(3) not null default 'BRL' check (currency ~ '^[A-Z]{3}$'),
    billing_address     jsonb check (billing_address is null or jsonb_typeof(billing_address) = 'object'),
    shipping_address    jsonb check (shipping_address is null or jsonb_typeof(shipping_address) = 'object'),
    notes               text,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    shipped_at          timestamptz,
    delivered_at        timestamptz,
    tracking_number     varchar(64),
    payment_method_id   bigint,
    -- additions (see sql/README.md)
    idempotency_key     varchar(100),
    shipping_method     varchar(50),
    paid_at             timestamptz,
    cancelled_at        timestamptz,
    state_version       bigint not null default 0 check (state_version >= 0),
    -- the checkout computes the total from its parts; the read model must agree to the cent
    constraint ck_orders_total
        check (total_amount = subtotal + tax_amount + shipping_amount - discount_amount),
    constraint ck_orders_delivery_after_shipping
        check (delivered_at is null or shipped_at is null or delivered_at >= shipped_at),
    -- a client's Idempotency-Key is scoped to its user: another user's key never finds this order
    constraint uq_orders_user_idempotency_key unique (user_id, idempotency_key)
);

comment on column orders.state_version is 'Version of the order grain state last projected; a projection applies a change only when its version is newer.';
comment on column orders.idempotency_key is 'The Idempotency-Key header of the checkout that created the order (unique per user).';

create table order_items (
    id              bigint generated always as identity primary key,
    order_id        bigint not null references orders (id) on delete cascade,
    product_id      bigint not null references products (id) on delete restrict,
    variant_id      bigint,
    quantity        integer not null check (quantity > 0),
    unit_price      numeric(12,2) not null check (unit_price >= 0),
    total_price     numeric(12,2) not null check (total_price >= 0),
    product_data    jsonb not null default '{}'::jsonb check (jsonb_typeof(product_data) = 'object'),
    created_at      timestamptz not null default now(),
    constraint fk_order_items_variant foreign key (variant_id, product_id)
        references product_variants (id, product_id) on delete restrict,
    -- natural key of a line: one line per product/variant in an order (projection upserts on it)
    constraint uq_order_items_line unique nulls not distinct (order_id, product_id, variant_id),
    -- target of returns' composite foreign key
    constraint uq_order_items_id_order unique (id, order_id)
);

comment on column order_items.product_data is 'Snapshot of name, sku, variant options and price at checkout time.';

create index idx_order_items_variant on order_items (variant_id) where variant_id is not null;

create table order_status_history (
    id              bigint generated always as identity primary key,
    order_id        bigint not null references orders (id) on delete cascade,
    status          varchar(20) not null
                    check (status in ('pending', 'awaiting_payment', 'paid', 'processing', 'shipped',
                                      'delivered', 'cancelled', 'refunded', 'partially_refunded')),
    previous_status varchar(20)
                    check (previous_status in ('pending', 'awaiting_payment', 'paid', 'processing', 'shipped',
                                               'delivered', 'cancelled', 'refunded', 'partially_refunded')),
    comment         text,
    changed_by      bigint references users (id) on delete set null,
    changed_at      timestamptz not null default now(),
    -- addition: id of the domain event that produced this transition (idempotent projection)
    event_id        uuid not null default gen_random_uuid() unique,
    constraint ck_order_status_history_changes check (previous_status is distinct from status)
);

create index idx_order_status_history_order on order_status_history (order_id, changed_at);
create index idx_order_status_history_changed_by on order_status_history (changed_by);

create table shopping_cart (
    id              bigint generated always as identity primary key,
    user_id         bigint references users (id) on delete cascade,
    session_id      varchar(128),
    product_id      bigint not null references products (id) on delete cascade,
    variant_id      bigint,
    quantity        integer not null check (quantity between 1 and 999),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint fk_shopping_cart_variant foreign key (variant_id, product_id)
        references product_variants (id, product_id) on delete cascade,
    constraint ck_shopping_cart_owner check (user_id is not null or session_id is not null)
);

comment on table shopping_cart is 'One row per cart line. A signed-in cart is keyed by user_id, an anonymous one by session_id.';

-- natural keys of a cart line (the cart projection upserts on them)
create unique index uq_shopping_cart_user_line on shopping_cart (user_id, product_id, variant_id)
    nulls not distinct where user_id is not null;
create unique index uq_shopping_cart_session_line on shopping_cart (session_id, product_id, variant_id)
    nulls not distinct where user_id is null;
create index idx_shopping_cart_product on shopping_cart (product_id);
create index idx_shopping_cart_variant on shopping_cart (variant_id) where variant_id is not null;
-- purge of abandoned anonymous carts
create index idx_shopping_cart_session_updated on shopping_cart (updated_at) where user_id is null;

create table wishlist (
    id              bigint generated always as identity primary key,
    user_id         bigint not null references users (id) on delete cascade,
    product_id      bigint not null references products (id) on delete cascade,
    created_at      timestamptz not null default now(),
    constraint uq_wishlist_user_product unique (user_id, product_id)
);

create index idx_wishlist_product on wishlist (product_id);

create table coupons (
    id                  bigint generated always as identity primary key,
    code                varchar(50) not null unique check (code ~ '^[A-Z0-9][A-Z0-9_-]*$'),
    type                varchar(20) not null
                        check (type in ('percentage', 'fixed_amount', 'free_shipping')),
    value               numeric(12,2) not null default 0 check (value >= 0),
    minimum_amount      numeric(12,2) not null default 0 check (minimum_amount >= 0),
    usage_limit         integer check (usage_limit > 0),
    used_count          integer not null default 0 check (used_count >= 0),
    starts_at           timestamptz,
    expires_at          timestamptz,
    is_active           boolean not null default true,
    conditions          jsonb not null default '{}'::jsonb check (jsonb_typeof(conditions) = 'object'),
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    -- additions (see sql/README.md)
    per_customer_limit  integer check (per_customer_limit > 0),
    description         varchar(255),
    state_version       bigint not null default 0 check (state_version >= 0),
    constraint ck_coupons_value_by_type check (
        (type = 'percentage' and value > 0 and value <= 100)
        or (type = 'fixed_amount' and value > 0)
        or (type = 'free_shipping')),
    -- never more confirmed uses than the limit: the invariant the coupon grain exists to keep
    constraint ck_coupons_usage_within_limit check (usage_limit is null or used_count <= usage_limit),
    constraint ck_coupons_validity check (starts_at is null or expires_at is null or starts_at < expires_at)
);

comment on column coupons.value is 'percentage: 0 < value <= 100; fixed_amount: BRL off; free_shipping: cap on the shipping discount in BRL (0 = no cap).';
comment on column coupons.code is 'Upper-case; the API upper-cases what the customer types.';

create index idx_coupons_active_validity on coupons (expires_at) where is_active;

create table coupon_usage (
    id              bigint generated always as identity primary key,
    coupon_id       bigint not null references coupons (id) on delete restrict,
    order_id        bigint not null references orders (id) on delete cascade,
    user_id         bigint not null references users (id) on delete restrict,
    discount_amount numeric(12,2) not null default 0 check (discount_amount >= 0),
    used_at         timestamptz not null default now(),
    -- natural key: a coupon is used at most once per order (idempotent projection)
    constraint uq_coupon_usage_coupon_order unique (coupon_id, order_id)
);

-- per-customer limit: "how many times has this user used this coupon"
create index idx_coupon_usage_coupon_user on coupon_usage (coupon_id, user_id);
create index idx_coupon_usage_order on coupon_usage (order_id);
create index idx_coupon_usage_user on coupon_usage (user_id);

create table returns (
    id              bigint generated always as identity primary key,
    order_id        bigint not null references orders (id) on delete cascade,
    order_item_id   bigint not null,
    reason          varchar(30) not null
                    check (reason in ('damaged', 'wrong_item', 'not_as_described', 'quality', 'changed_mind',
                                      'late_delivery', 'other')),
    status          varchar(20) not null default 'requested'
                    check (status in ('requested', 'approved', 'rejected', 'received', 'refunded', 'cancelled')),
    quantity        integer not null check (quantity > 0),
    refund_amount   numeric(12,2) not null default 0 check (refund_amount >= 0),
    notes           text,
    requested_at    timestamptz not null default now(),
    approved_at     timestamptz,
    processed_at    timestamptz,
    processed_by    bigint references users (id) on delete set null,
    -- addition: id of the event that opened the return (idempotent projection)
    event_id        uuid not null default gen_random_uuid() unique,
    -- the returned line must belong to the same order
    constraint fk_returns_order_item foreign key (order_item_id, order_id)
        references order_items (id, order_id) on delete cascade
);

create index idx_returns_order on returns (order_id);
create index idx_returns_order_item on returns (order_item_id);
create index idx_returns_status on returns (status, requested_at);
create index idx_returns_processed_by on returns (processed_by);

-- Indexes from the document ("Otimizações e Índices") for this domain --------------------------
create index idx_orders_user_status on orders (user_id, status);
create index idx_orders_date_status on orders (created_at, status);
create index idx_order_items_product_date on order_items (product_id, created_at);
create index idx_pending_orders on orders (created_at) where status = 'pending';
-- additions: FK support and reporting by payment date
create index idx_orders_payment_method on orders (payment_method_id);
create index idx_orders_paid_at on orders (paid_at) where paid_at is not null;

select public.ensure_updated_at_triggers();
