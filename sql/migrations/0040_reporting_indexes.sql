-- 0040: indexes for the reporting reader (src/MestresCafe.Data/Reporting). Orders by created_at
-- are already served by idx_orders_date_status (created_at, status); these cover the other
-- reports' date ranges.

-- loyalty-points: point flows in a date range across all accounts
create index idx_loyalty_transactions_created on loyalty_transactions (created_at);
-- funnel: cart lines created in a date range
create index idx_shopping_cart_created on shopping_cart (created_at);
