-- 0101 (issue 16): B2B terms. An approved company account buys "faturado": the order is confirmed
-- without payment and its invoice (a boleto) falls due after the account's payment terms; the
-- account's open invoices may not exceed its credit limit (serialized by its credit grain).

-- The invoiced method: a payment_methods row of its own type, so that orders and payments name it
-- like any other method. Offered only to approved company accounts (checked by the credit grain).
alter table payment_methods drop constraint payment_methods_type_check;
alter table payment_methods add constraint ck_payment_methods_type
    check (type in ('pix', 'credit_card', 'debit_card', 'boleto', 'invoice'));

insert into payment_methods (name, type, provider, configuration, is_active, is_default, sort_order) values
    ('Faturado (boleto a prazo)', 'invoice', 'internal',
     '{"label": "Faturado: boleto com vencimento pelo prazo da empresa", "instructions": "Pagável em qualquer banco até o vencimento."}',
     true, false, 4)
on conflict (name) do nothing;

-- Payment terms in days after the order ("net_28" is the common "28 dias"), not only the four
-- fixed ones: prepaid, or net_1 to net_120.
alter table customers drop constraint customers_payment_terms_check;
alter table customers add constraint ck_customers_payment_terms
    check (payment_terms = 'prepaid' or payment_terms ~ '^net_([1-9][0-9]?|1[01][0-9]|120)$');

-- current_balance is projected from the account's credit grain (its open invoices); the version
-- makes the projection idempotent and never lets an older state overwrite a newer one.
alter table customers add column credit_state_version bigint not null default 0 check (credit_state_version >= 0);

comment on column customers.current_balance is 'Open invoiced exposure of a B2B account (its unpaid invoiced orders), projected from the account''s credit grain.';

-- Staff's open and overdue invoices: invoiced orders not yet paid, by due date.
create index ix_orders_open_invoices on orders (payment_due_at)
    where paid_at is null and status in ('processing', 'shipped', 'delivered');
