-- 0083: a won lead converted into a customer keeps its history and points at the customer.
alter table leads
    add column customer_id  bigint references customers (id) on delete set null,
    add column converted_at timestamptz,
    add constraint ck_leads_converted check (customer_id is null or converted_at is not null);

create index idx_leads_customer on leads (customer_id) where customer_id is not null;
-- "my open activities": the open ones, by who created them.
create index idx_lead_activities_open on lead_activities (created_by, scheduled_at) where completed_at is null;
