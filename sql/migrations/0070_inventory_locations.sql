-- 0070: stock locations and transfers between them. inventory.location (one stock per item and
-- location) now names a row of locations; CD-SP, the default location, exists from the start.
-- A transfer is recorded before any stock moves, then withdrawn at the source and received at the
-- destination through their inventory item grains with operation ids derived from the transfer,
-- so that a retry or the sweeper finishes a transfer whose server died half-way, moving its units
-- once (see README, "Stock locations").

create table locations (
    id          bigint generated always as identity primary key,
    code        varchar(50) not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]*$'),
    name        varchar(120) not null check (length(btrim(name)) > 0),
    kind        varchar(20) not null default 'warehouse' check (kind in ('warehouse', 'shop')),
    is_active   boolean not null default true,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);

comment on table locations is 'Where stock is kept: a distribution centre (warehouse) or a shop. inventory.location refers to code.';

insert into locations (code, name, kind) values ('CD-SP', 'Centro de distribuição São Paulo', 'warehouse');

alter table inventory
    add constraint fk_inventory_location foreign key (location) references locations (code) on update restrict on delete restrict;

create table inventory_transfers (
    id                  bigint generated always as identity primary key,
    -- the client's Idempotency-Key: a retry of the same transfer finds this row
    idempotency_key     varchar(100) not null unique,
    sku                 varchar(100) not null,
    from_location       varchar(50) not null references locations (code) on delete restrict,
    to_location         varchar(50) not null references locations (code) on delete restrict,
    quantity            integer not null check (quantity > 0),
    -- pending: recorded, stock may be half-moved; completed: both movements are in stock;
    -- failed: the source could not give the units and nothing moved
    status              varchar(20) not null default 'pending' check (status in ('pending', 'completed', 'failed')),
    notes               text,
    created_by          bigint references users (id) on delete set null,
    created_at          timestamptz not null default now(),
    finished_at         timestamptz,
    constraint ck_inventory_transfers_locations check (from_location <> to_location)
);

create index idx_inventory_transfers_pending on inventory_transfers (created_at) where status = 'pending';
create index idx_inventory_transfers_sku on inventory_transfers (sku, created_at desc);
create index idx_inventory_transfers_created_by on inventory_transfers (created_by);

select public.ensure_updated_at_triggers();
