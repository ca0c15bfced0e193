-- 0050: purchasing gets behaviour. Suppliers carry their CNPJ, contacts, payment terms and a
-- default lead time; a supplier product names one sellable item (a variant, or the product itself)
-- and one supplier per item is the preferred one; purchase order lines carry an expected date; and
-- receipts are recorded before they restock, so that a receipt retried after a timeout, on another
-- server or after a crash adds its units once (see README, "Purchasing").

alter table suppliers
    -- 12 digits or upper-case letters (the alphanumeric CNPJ of 2026) and 2 check digits, verified by
    -- the API (Cnpj); stored without punctuation, unique when present
    add column cnpj             char(14) unique check (cnpj ~ '^[0-9A-Z]{12}[0-9]{2}$'),
    -- [{ "name", "role", "email", "phone" }]
    add column contacts         jsonb not null default '[]' check (jsonb_typeof(contacts) = 'array'),
    add column payment_terms    varchar(100),
    add column lead_time_days   integer check (lead_time_days between 0 and 365);

-- A supplier product is per sellable item: variant_id null means the product itself (or, for a
-- product with variants, every variant of it).
alter table supplier_products
    add column variant_id       bigint,
    add column is_preferred     boolean not null default false,
    add constraint fk_supplier_products_variant foreign key (variant_id, product_id)
        references product_variants (id, product_id) on delete cascade,
    drop constraint uq_supplier_products,
    add constraint uq_supplier_products_item unique nulls not distinct (supplier_id, product_id, variant_id);

-- One preferred supplier per item: the one reorder suggestions order from.
create unique index uq_supplier_products_preferred on supplier_products (product_id, coalesce(variant_id, 0)) where is_preferred;
create index idx_supplier_products_variant on supplier_products (variant_id) where variant_id is not null;

alter table purchase_order_items
    add column expected_date    date;

-- One receipt of goods against a purchase order. Written (with its lines and the received
-- quantities) before any stock moves; the restock of each line is idempotent by an id derived from
-- the receipt line, and applied_at is set once every line is in stock. A pending receipt is
-- resumed by its retry or by the sweeper, never applied twice.
create table purchase_order_receipts (
    id                  bigint generated always as identity primary key,
    purchase_order_id   bigint not null references purchase_orders (id) on delete restrict,
    -- the client's Idempotency-Key: a retry of the same receipt finds this row
    idempotency_key     varchar(100) not null,
    -- the request as received (lines, over-receipt flag), to refuse the same key with another body
    request_hash        char(64) not null,
    allow_over_receipt  boolean not null default false,
    notes               text,
    created_by          bigint references users (id) on delete set null,
    created_at          timestamptz not null default now(),
    applied_at          timestamptz,
    constraint uq_purchase_order_receipts_key unique (purchase_order_id, idempotency_key)
);

create index idx_purchase_order_receipts_order on purchase_order_receipts (purchase_order_id, created_at);
create index idx_purchase_order_receipts_pending on purchase_order_receipts (created_at) where applied_at is null;
create index idx_purchase_order_receipts_created_by on purchase_order_receipts (created_by);

create table purchase_order_receipt_items (
    id                      bigint generated always as identity primary key,
    receipt_id              bigint not null references purchase_order_receipts (id) on delete cascade,
    purchase_order_item_id  bigint not null references purchase_order_items (id) on delete restrict,
    quantity                integer not null check (quantity > 0),
    unit_cost               numeric(12,2) not null check (unit_cost >= 0),
    constraint uq_purchase_order_receipt_items_line unique (receipt_id, purchase_order_item_id)
);

create index idx_purchase_order_receipt_items_line on purchase_order_receipt_items (purchase_order_item_id);

-- Stock adjustments listed by period for audits.
create index idx_stock_adjustments_created_at on stock_adjustments (created_at desc);

select public.ensure_updated_at_triggers();
