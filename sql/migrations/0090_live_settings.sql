-- 0090: live settings. The business settings the code reads from system_configurations through
-- the options system (SettingCatalog in MestresCafe.Data/Settings), with the values the code ran on.
-- Reference data every store needs (like 0046's roles), so inserted here, not by the demo seed.
--
-- Where the demo seed of earlier versions disagreed with the code, the code's value wins: it is
-- what checkout charged, what customers were told and what orders recorded, while nothing ever read
-- the table. So these rows are written even where a demo seed wrote them first:
--   returns.window_days            7  -> 30  (the store's 30-day return policy; 7 is the CDC minimum)
--   security.lockout_minutes      15  -> 1   (the first lock; it doubles per threshold up to a day)
--   auth.password_reset_ttl_minutes 30 -> 60
--   checkout.max_quantity_per_item 20 -> 10 (units of one item per order; 20 is the cap across a
--                                            customer's unpaid orders, stock_holds.max_units_per_customer)
--   shipping.methods: SEDEX 29.90 + per-kg prices and a motoboy option the checkout never offered ->
--                     the three methods checkout offers, prices in shipping.*_price (SEDEX 34.90)
-- Keys whose meaning the code does not have are removed: checkout.reservation_ttl_seconds and
-- checkout.coupon_hold_ttl_seconds (holds last the payment window plus a margin, per payment method).

-- Secrets never live here: a key named like one is refused.
alter table system_configurations add constraint ck_system_configurations_no_secrets
    check (key !~ '(^|[._])(secret|secrets|password|passwd|token|api_key|private_key|signing_key|link_key)$');

insert into system_configurations (key, value, type, description, is_public) values
    ('shipping.pac_price', '19.90', 'decimal', 'Preço do PAC em BRL (grátis a partir de shipping.free_shipping_threshold)', true),
    ('shipping.sedex_price', '34.90', 'decimal', 'Preço do SEDEX em BRL', true),
    ('shipping.free_shipping_threshold', '199.00', 'decimal', 'PAC grátis a partir deste valor de mercadorias após desconto, em BRL', true),
    ('shipping.methods', '[{"code": "pac", "name": "PAC", "carrier": "Correios", "days_min": 5, "days_max": 10}, {"code": "sedex", "name": "SEDEX", "carrier": "Correios", "days_min": 1, "days_max": 4}, {"code": "pickup", "name": "Retirada na loja (Itaim Bibi)", "carrier": "Mestres Café", "days_min": 0, "days_max": 1}]',
     'json', 'Formas de entrega oferecidas no checkout (preços em shipping.*_price; retirada grátis)', true),
    ('returns.window_days', '30', 'integer', 'Dias após a entrega para pedir devolução (o CDC, art. 49, exige ao menos 7)', true),
    ('payments.pix_expiry_minutes', '30', 'integer', 'Minutos para pagar um pedido por Pix antes de ele expirar', false),
    ('payments.card_window_minutes', '15', 'integer', 'Minutos para a confirmação de um pagamento com cartão', false),
    ('payments.boleto_due_days', '3', 'integer', 'Dias até o vencimento do boleto', false),
    ('security.max_login_attempts', '5', 'integer', 'Falhas de login num e-mail que o bloqueiam (a cada novo limite o bloqueio dobra)', false),
    ('security.ip_max_login_attempts', '20', 'integer', 'Falhas de login de um IP que o bloqueiam', false),
    ('security.lockout_minutes', '1', 'integer', 'Duração do primeiro bloqueio, em minutos; dobra a cada novo limite', false),
    ('security.lockout_max_minutes', '1440', 'integer', 'Duração máxima de um bloqueio, em minutos', false),
    ('auth.password_reset_ttl_minutes', '60', 'integer', 'Validade do link de redefinição de senha, em minutos', false),
    ('checkout.max_quantity_per_item', '10', 'integer', 'Unidades de um item por pedido (compras maiores são cotações B2B)', true),
    ('stock_holds.max_units_per_customer', '20', 'integer', 'Unidades de um item que os pedidos não pagos de um cliente podem reservar juntos', false),
    ('stock_holds.boleto_hold_minutes', '240', 'integer', 'Minutos que um pedido por boleto segura o estoque (o boleto segue pagável até vencer)', false)
on conflict (key) do update
    set value = excluded.value, type = excluded.type, description = excluded.description, is_public = excluded.is_public
    where (system_configurations.value, system_configurations.type, system_configurations.description, system_configurations.is_public)
          is distinct from (excluded.value, excluded.type, excluded.description, excluded.is_public);

delete from system_configurations where key in ('checkout.reservation_ttl_seconds', 'checkout.coupon_hold_ttl_seconds');
