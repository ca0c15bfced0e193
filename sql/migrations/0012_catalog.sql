-- 0012: catalog domain (8 tables): categories, brands, products, product_images, product_variants,
-- product_attributes, product_attribute_values, product_reviews.
-- Relational-first: the back office writes these rows, grains read prices from them.

create table categories (
    id              bigint generated always as identity primary key,
    name            varchar(120) not null,
    slug            varchar(140) not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    description     text,
    image_url       varchar(500),
    parent_id       bigint references categories (id) on delete restrict,
    sort_order      integer not null default 0,
    is_active       boolean not null default true,
    seo_data        jsonb not null default '{}'::jsonb check (jsonb_typeof(seo_data) = 'object'),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint ck_categories_not_own_parent check (parent_id is null or parent_id <> id)
);

create index idx_categories_parent on categories (parent_id, sort_order);

create table brands (
    id              bigint generated always as identity primary key,
    name            varchar(120) not null,
    slug            varchar(140) not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    description     text,
    logo_url        varchar(500),
    is_active       boolean not null default true,
    seo_data        jsonb not null default '{}'::jsonb check (jsonb_typeof(seo_data) = 'object'),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table products (
    id                  bigint generated always as identity primary key,
    name                varchar(200) not null,
    slug                varchar(220) not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    description         text,
    short_description   varchar(500),
    price               numeric(12,2) not null check (price >= 0),
    compare_price       numeric(12,2) check (compare_price >= 0),
    cost_price          numeric(12,2) check (cost_price >= 0),
    sku                 varchar(64) not null unique check (sku ~ '^[A-Z0-9][A-Z0-9-]*$'),
    barcode             varchar(14) check (barcode ~ '^[0-9]{8,14}$'),
    is_active           boolean not null default true,
    is_featured         boolean not null default false,
    requires_shipping   boolean not null default true,
    is_digital          boolean not null default false,
    weight              numeric(10,3) check (weight >= 0),
    dimensions          jsonb not null default '{}'::jsonb check (jsonb_typeof(dimensions) = 'object'),
    category_id         bigint references categories (id) on delete restrict,
    brand_id            bigint references brands (id) on delete restrict,
    attributes          jsonb not null default '{}'::jsonb check (jsonb_typeof(attributes) = 'object'),
    seo_data            jsonb not null default '{}'::jsonb check (jsonb_typeof(seo_data) = 'object'),
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    created_by          bigint references users (id) on delete set null,
    -- a digital product (online course) is never shipped
    constraint ck_products_digital_not_shipped check (not (is_digital and requires_shipping))
);

comment on column products.price is 'BRL. For products with variants: the "from" price shown in listings; each variant carries its own price.';
comment on column products.weight is 'Kilograms (shipping weight).';
comment on column products.dimensions is '{"length_cm":..,"width_cm":..,"height_cm":..}';
comment on column products.attributes is 'Free-form, non-filterable facts (e.g. producer, SCA score). Filterable attributes live in product_attribute_values.';

create index idx_products_brand on products (brand_id);
create index idx_products_created_by on products (created_by);
create index idx_products_featured on products (is_featured) where is_featured and is_active;

create table product_images (
    id              bigint generated always as identity primary key,
    product_id      bigint not null references products (id) on delete cascade,
    image_url       varchar(500) not null,
    alt_text        varchar(255),
    sort_order      integer not null default 0,
    is_primary      boolean not null default false,
    created_at      timestamptz not null default now(),
    constraint uq_product_images_product_url unique (product_id, image_url)
);

-- one primary image per product
create unique index uq_product_images_primary on product_images (product_id) where is_primary;

create table product_variants (
    id              bigint generated always as identity primary key,
    product_id      bigint not null references products (id) on delete cascade,
    name            varchar(200) not null,
    sku             varchar(64) not null unique check (sku ~ '^[A-Z0-9][A-Z0-9-]*$'),
    barcode         varchar(14) check (barcode ~ '^[0-9]{8,14}$'),
    price           numeric(12,2) not null check (price >= 0),
    compare_price   numeric(12,2) check (compare_price >= 0),
    cost_price      numeric(12,2) check (cost_price >= 0),
    options         jsonb not null default '{}'::jsonb check (jsonb_typeof(options) = 'object'),
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    -- additions: per-variant shipping weight (250 g vs 1 kg) and display order
    weight          numeric(10,3) check (weight >= 0),
    sort_order      integer not null default 0,
    -- target of composite foreign keys (variant_id, product_id) so that a row can never name a
    -- variant of another product
    constraint uq_product_variants_id_product unique (id, product_id)
);

comment on column product_variants.options is 'Option values of this variant, e.g. {"peso":"500 g","moagem":"grão"}.';

create index idx_product_variants_product on product_variants (product_id, sort_order);

create table product_attributes (
    id              bigint generated always as identity primary key,
    name            varchar(100) not null unique,
    type            varchar(20) not null default 'text'
                    check (type in ('text', 'number', 'boolean', 'select', 'multiselect')),
    options         jsonb not null default '[]'::jsonb check (jsonb_typeof(options) = 'array'),
    is_required     boolean not null default false,
    is_filterable   boolean not null default false,
    sort_order      integer not null default 0,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table product_attribute_values (
    id              bigint generated always as identity primary key,
    product_id      bigint not null references products (id) on delete cascade,
    attribute_id    bigint not null references product_attributes (id) on delete cascade,
    value           varchar(500) not null,
    created_at      timestamptz not null default now(),
    constraint uq_product_attribute_values unique (product_id, attribute_id)
);

-- faceted filters: "all products whose processo = natural"
create index idx_product_attribute_values_filter on product_attribute_values (attribute_id, value);

create table product_reviews (
    id              bigint generated always as identity primary key,
    product_id      bigint not null references products (id) on delete cascade,
    user_id         bigint not null references users (id) on delete cascade,
    rating          smallint not null check (rating between 1 and 5),
    title           varchar(200),
    content         text,
    is_approved     boolean not null default false,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint uq_product_reviews_product_user unique (product_id, user_id)
);

create index idx_product_reviews_user on product_reviews (user_id);
create index idx_product_reviews_approved on product_reviews (product_id, created_at desc) where is_approved;

-- Indexes from the document ("Otimizações e Índices") for this domain --------------------------
create index idx_products_category_active on products (category_id, is_active);
-- the document's to_tsvector('portuguese', name || ' ' || description) yields NULL for a product
-- without description; coalesce keeps it searchable, portuguese_unaccent makes "cafe" match "café".
-- Queries must repeat this exact expression to use the index.
create index idx_products_search on products using gin (
    to_tsvector('public.portuguese_unaccent'::regconfig, coalesce(name, '') || ' ' || coalesce(description, '')));
create index idx_active_products on products (name) where is_active = true;
-- addition: accent-insensitive typo-tolerant autocomplete ("moedor hari" finds "Moedor Hario")
create index idx_products_name_trgm on products using gin (public.immutable_unaccent(lower(name)) gin_trgm_ops);

select public.ensure_updated_at_triggers();
