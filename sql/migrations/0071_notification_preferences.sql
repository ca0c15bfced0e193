-- 0071: which optional notifications a customer gets, and the link from a message to its history row.
-- notification_preferences holds a row only where the customer chose; no row means the category's
-- default (sent). The categories are NotificationCategories.Optional; transactional messages always go
-- and have no row here. The queueing statement (OutboundMessageSql) reads this table in the
-- transaction that queues a message, so a choice holds from the next message on.
-- customer_communications.message_id ties a history row to the outbound message (and the in-app
-- notification keyed by the same id), so that reading the notification sets the row's read_at.

create table notification_preferences (
    user_id     bigint not null references users (id) on delete cascade,
    category    varchar(30) not null check (category in ('loyalty', 'review_requests')),
    enabled     boolean not null,
    updated_at  timestamptz not null default now(),
    primary key (user_id, category)
);

alter table customer_communications add column message_id uuid;
create unique index uq_customer_communications_message on customer_communications (message_id) where message_id is not null;
