-- Reference data every environment needs, not demo data: the payment methods the simulated
-- gateway serves. Orders and payments reference them, so an empty database must have them too.
-- The demo seed inserts the same rows with `on conflict (name) do nothing`.
insert into payment_methods (name, type, provider, configuration, is_active, is_default, sort_order) values
    ('Pix', 'pix', 'simulated',
     '{"expires_in_minutes": 30, "discount_percentage": 5, "label": "Pix (5% de desconto)"}', true, true, 1),
    ('Cartão de crédito', 'credit_card', 'simulated',
     '{"max_installments": 6, "interest_free_installments": 6, "min_installment_amount": 30.00, "brands": ["visa", "mastercard", "elo", "amex", "hipercard"], "capture": "automatic"}',
     true, false, 2),
    ('Boleto bancário', 'boleto', 'simulated',
     '{"due_days": 3, "instructions": "Não receber após o vencimento."}', true, false, 3)
on conflict (name) do nothing;
