-- 0100 (issue 20): what the payment method did to an order's total, each as a figure of its own:
-- the Pix discount, the card's interest, and the number of installments. The total's check
-- follows: total = merchandise - coupon discount - payment discount + shipping + tax + interest.
alter table orders
    add column payment_discount_amount numeric(12,2) not null default 0 check (payment_discount_amount >= 0),
    add column interest_amount         numeric(12,2) not null default 0 check (interest_amount >= 0),
    add column installments            smallint not null default 1 check (installments between 1 and 24);

comment on column orders.payment_discount_amount is 'The payment method''s discount (Pix), after the coupon''s (discount_amount); not part of discount_amount.';
comment on column orders.interest_amount is 'Interest of a card paid in installments above the interest-free ones; part of total_amount, which is what was charged.';
comment on column orders.installments is 'Card installments the customer chose (1 for Pix, boleto and a single card payment).';

alter table orders drop constraint ck_orders_total;
alter table orders add constraint ck_orders_total
    check (total_amount = subtotal + tax_amount + shipping_amount - discount_amount - payment_discount_amount + interest_amount);
