-- 0045: what the order sweeper reads to find due work for orders that no server holds, instead of a
-- reminder row per order written on the checkout's critical path.
--
-- When an unpaid order's payment window ends, projected with its placement. The partial index holds
-- only unpaid orders, so the sweeper's "unpaid and past due" look-up reads a few entries however
-- large orders grows.
alter table orders add column payment_due_at timestamptz;
create index ix_orders_payment_due on orders (payment_due_at) where status = 'awaiting_payment';

-- Order grain states by write time. An order whose server died after its state write and before its
-- projection (or its loyalty delivery) may have no orders row at all: only its state row says it
-- exists. Partial, so that the writes of other grains do not pay for it.
create index ix_orleansstorage_order_written on orleansstorage (serviceid, modifiedon) where graintypestring = 'order';
