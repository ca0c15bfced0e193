-- 0016: inventory and purchasing (7 tables): inventory, inventory_movements (partitioned),
-- suppliers, supplier_products, purchase_orders, purchase_order_items, stock_adjustments.
-- inventory and inventory_movements are projected by the inventory item grain (one grain per
-- product-or-variant at a location); the grain is their only writer.

create table inventory (
    id                  bigint generated always as identity primary key,
    product_id          bigint not null references products (id) on delete restrict,
    variant_id          bigint,
    quantity_available  integer not null default 0 check (quantity_available >= 0),
    quantity_reserved   integer not null default 0 check (quantity_reserved >= 0),
    quantity_sold       integer not null default 0 check (quantity_sold >= 0),
    reorder_point       integer not null default 0 check (reorder_point >= 0),
    reorder_quantity    integer not null default 0 check (reorder_quantity >= 0),
    cost_price          numeric(12,2) check (cost_price >= 0),
    location            varchar(50) not null default 'CD-SP' check (location ~ '^[A-Z0-9][A-Z0-9-]*$'),
    last_updated        timestamptz not null default now(),
    updated_by          bigint references users (id) on delete set null,
    -- addition: version of the grain state last projected (apply only newer versions)
    state_version       bigint not null default 0 check (state_version >= 0),
    constraint fk_inventory_variant foreign key (variant_id, product_id)
        references product_variants (id, product_id) on delete restrict,
    -- natural key = the inventory item grain's identity
    constraint uq_inventory_item unique nulls not distinct (product_id, variant_id, location)
);

comment on table inventory is 'One row per sellable item (a variant, or a product without variants) per location. On hand = available + reserved.';
comment on column inventory.quantity_available is 'Units that can still be reserved (on hand minus reserved).';
comment on column inventory.quantity_reserved is 'Units held by open checkouts (reservations with an expiry).';
comment on column inventory.quantity_sold is 'Cumulative units committed by paid orders (reserved -> sold), net of returns to stock.';

create or replace function public.set_last_updated()
returns trigger
language plpgsql
as $$
begin
    new.last_updated := now();
    return new;
end
$$;

create trigger trg_inventory_last_updated before update on inventory
    for each row execute function public.set_last_updated();

create index idx_inventory_variant on inventory (variant_id) where variant_id is not null;
create index idx_inventory_updated_by on inventory (updated_by);
-- from the document
create index idx_inventory_product_location on inventory (product_id, location);
-- addition: the reorder report ("what is at or below its reorder point")
create index idx_inventory_below_reorder on inventory (location, product_id)
    where quantity_available <= reorder_point;

-- Partitioned by month on created_at (see sql/README.md). The primary key and every unique key
-- must contain the partition key. Nothing references this table by foreign key.
create table inventory_movements (
    id              bigint generated always as identity,
    inventory_id    bigint not null references inventory (id) on delete restrict,
    type            varchar(30) not null
                    check (type in ('receipt', 'reservation', 'reservation_release', 'sale', 'return',
                                    'adjustment_in', 'adjustment_out', 'transfer_in', 'transfer_out')),
    quantity        integer not null check (quantity > 0),
    unit_cost       numeric(12,2) check (unit_cost >= 0),
    reference_type  varchar(30)
                    check (reference_type in ('order', 'purchase_order', 'return', 'stock_adjustment',
                                              'transfer', 'manual')),
    reference_id    bigint,
    notes           text,
    created_at      timestamptz not null default now(),
    created_by      bigint references users (id) on delete set null,
    -- addition: id of the domain event (idempotent projection). The projection must write the
    -- event's own timestamp into created_at, so a replay lands in the same partition and hits
    -- this key.
    event_id        uuid not null default gen_random_uuid(),
    constraint pk_inventory_movements primary key (id, created_at),
    constraint uq_inventory_movements_event unique (event_id, created_at),
    constraint ck_inventory_movements_reference check (reference_id is null or reference_type is not null)
) partition by range (created_at);

comment on column inventory_movements.quantity is 'Always positive; the type says which counters move (see sql/README.md).';

create index idx_inventory_movements_inventory on inventory_movements (inventory_id, created_at);
create index idx_inventory_movements_reference on inventory_movements (reference_type, reference_id)
    where reference_id is not null;
create index idx_inventory_movements_created_by on inventory_movements (created_by);

select public.create_monthly_partitions('inventory_movements', date '2025-01-01', 36);

create table suppliers (
    id              bigint generated always as identity primary key,
    name            varchar(200) not null unique,
    email           varchar(254),
    phone           varchar(20),
    address         jsonb check (address is null or jsonb_typeof(address) = 'object'),
    notes           text,
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table supplier_products (
    id                      bigint generated always as identity primary key,
    supplier_id             bigint not null references suppliers (id) on delete cascade,
    product_id              bigint not null references products (id) on delete cascade,
    supplier_sku            varchar(64),
    supplier_price          numeric(12,2) check (supplier_price >= 0),
    lead_time_days          integer check (lead_time_days >= 0),
    minimum_order_quantity  integer not null default 1 check (minimum_order_quantity >= 1),
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now(),
    constraint uq_supplier_products unique (supplier_id, product_id)
);

create index idx_supplier_products_product on supplier_products (product_id);

create sequence purchase_order_number_seq as bigint start with 1;

create table purchase_orders (
    id                  bigint generated always as identity primary key,
    order_number        varchar(30) not null unique
                        default ('PC-' || lpad(nextval('purchase_order_number_seq')::text, 8, '0')),
    supplier_id         bigint not null references suppliers (id) on delete restrict,
    status              varchar(20) not null default 'draft'
                        check (status in ('draft', 'sent', 'confirmed', 'partially_received', 'received',
                                          'cancelled')),
    total_amount        numeric(12,2) not null default 0 check (total_amount >= 0),
    order_date          timestamptz not null default now(),
    expected_delivery   timestamptz,
    received_date       timestamptz,
    notes               text,
    created_by          bigint references users (id) on delete set null,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now()
);

alter sequence purchase_order_number_seq owned by purchase_orders.order_number;

create index idx_purchase_orders_supplier on purchase_orders (supplier_id, order_date desc);
create index idx_purchase_orders_status on purchase_orders (status) where status not in ('received', 'cancelled');
create index idx_purchase_orders_created_by on purchase_orders (created_by);

create table purchase_order_items (
    id                  bigint generated always as identity primary key,
    purchase_order_id   bigint not null references purchase_orders (id) on delete cascade,
    product_id          bigint not null references products (id) on delete restrict,
    variant_id          bigint,
    quantity_ordered    integer not null check (quantity_ordered > 0),
    quantity_received   integer not null default 0 check (quantity_received >= 0),
    unit_cost           numeric(12,2) not null check (unit_cost >= 0),
    total_cost          numeric(12,2) not null check (total_cost >= 0),
    created_at          timestamptz not null default now(),
    constraint fk_purchase_order_items_variant foreign key (variant_id, product_id)
        references product_variants (id, product_id) on delete restrict,
    constraint uq_purchase_order_items_line unique nulls not distinct (purchase_order_id, product_id, variant_id),
    constraint ck_purchase_order_items_total check (total_cost = quantity_ordered * unit_cost)
);

create index idx_purchase_order_items_product on purchase_order_items (product_id);
create index idx_purchase_order_items_variant on purchase_order_items (variant_id) where variant_id is not null;

create table stock_adjustments (
    id              bigint generated always as identity primary key,
    inventory_id    bigint not null references inventory (id) on delete restrict,
    reason          varchar(30) not null
                    check (reason in ('inventory_count', 'damaged', 'expired', 'lost', 'theft', 'sample',
                                      'internal_use', 'supplier_return', 'other')),
    -- signed: positive adds to available stock, negative removes from it
    quantity_change integer not null check (quantity_change <> 0),
    -- signed: cost of the units added (positive) or written off (negative)
    cost_impact     numeric(12,2),
    notes           text,
    created_at      timestamptz not null default now(),
    created_by      bigint references users (id) on delete set null,
    -- addition: the adjustment is applied by the inventory item grain and projected idempotently
    event_id        uuid not null default gen_random_uuid() unique
);

create index idx_stock_adjustments_inventory on stock_adjustments (inventory_id, created_at desc);
create index idx_stock_adjustments_created_by on stock_adjustments (created_by);

select public.ensure_updated_at_triggers();
