-- 0075: customer records and address books (issue 16). A company customer carries its state
-- registration (inscrição estadual, "ISENTO" when exempt); the tax id admits the alphanumeric
-- CNPJ (12 letters or digits and 2 check digits) that Receita Federal issues from July 2026; check
-- digits are validated by the application (MestresCafe.TaxIds).
-- The address book replaces the one-address jsonb columns of customers for new writes: a customer
-- keeps several addresses, one default for billing and one for shipping (each at most one, by a
-- partial unique index), and checkout takes an address by id.

alter table customers add column state_registration varchar(20)
    check (state_registration is null or state_registration ~ '^([0-9]{2,14}|ISENTO)$');

alter table customers drop constraint customers_tax_id_check;
alter table customers add constraint ck_customers_tax_id check (tax_id ~ '^([0-9]{11}|[0-9A-Z]{12}[0-9]{2})$');

-- Where staff search customers: by number, tax id (unique indexes above) or company name.
create index idx_customers_company_name on customers (lower(company_name)) where company_name is not null;

create table customer_addresses (
    id                  bigint generated always as identity primary key,
    customer_id         bigint not null references customers (id) on delete cascade,
    label               varchar(50),
    recipient_name      varchar(120) not null check (length(btrim(recipient_name)) >= 2),
    street              varchar(200) not null,
    number              varchar(20) not null,
    complement          varchar(100),
    district            varchar(100) not null,
    city                varchar(100) not null,
    state               char(2) not null check (state ~ '^[A-Z]{2}$'),
    postal_code         char(8) not null check (postal_code ~ '^[0-9]{8}$'),
    phone               varchar(20),
    is_default_billing  boolean not null default false,
    is_default_shipping boolean not null default false,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now()
);

comment on table customer_addresses is 'A customer''s address book: billing and shipping addresses, one default of each kind.';

create index idx_customer_addresses_customer on customer_addresses (customer_id, id);
create unique index uq_customer_addresses_default_billing on customer_addresses (customer_id) where is_default_billing;
create unique index uq_customer_addresses_default_shipping on customer_addresses (customer_id) where is_default_shipping;
