-- 0042: loyalty clawback. A refunded or cancelled order takes back the points it earned; what was
-- already spent cannot leave the balance (which never goes below zero), so it becomes a debt that the
-- next credited points pay first. customer_loyalty shows the debt; each repayment is a 'clawback'
-- row of loyalty_transactions, so points_balance stays the sum of points_change.

alter table customer_loyalty
    add column points_debt integer not null default 0 check (points_debt >= 0);

comment on column customer_loyalty.points_debt is
    'Points reversed (refunded or cancelled orders, achievements that fell back) that the balance could not cover; paid first from future earnings.';

alter table loyalty_transactions drop constraint loyalty_transactions_transaction_type_check;
alter table loyalty_transactions add constraint loyalty_transactions_transaction_type_check
    check (transaction_type in ('earn', 'bonus', 'redeem', 'expire', 'reversal', 'adjust', 'clawback'));

alter table loyalty_transactions drop constraint ck_loyalty_transactions_sign;
alter table loyalty_transactions add constraint ck_loyalty_transactions_sign check (
    (transaction_type in ('earn', 'bonus') and points_change > 0)
    or (transaction_type in ('redeem', 'expire', 'reversal', 'clawback') and points_change < 0)
    or transaction_type = 'adjust');
