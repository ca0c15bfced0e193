-- 0072: back-in-stock requests and the stock e-mails. A signed-in customer asks to be told when a
-- product (or one of its variants) that has no stock comes back: one pending request per customer
-- and item. The inventory projection, in the transaction that takes an item's available stock from
-- none to some, marks the item's pending requests notified and queues one 'back_in_stock' e-mail per
-- request, keyed by the request's id, so a replayed projection sends nothing twice. 'low_stock' is
-- the e-mail to staff with the inventory permission when an item reaches its reorder point, queued
-- beside the in-app alert the projection already writes, once per crossing.

create table back_in_stock_requests (
    id           bigint generated always as identity primary key,
    request_id   uuid not null default gen_random_uuid() unique,
    user_id      bigint not null references users (id) on delete cascade,
    product_id   bigint not null references products (id) on delete cascade,
    variant_id   bigint references product_variants (id) on delete cascade,
    status       varchar(20) not null default 'pending' check (status in ('pending', 'notified')),
    created_at   timestamptz not null default now(),
    notified_at  timestamptz,
    constraint ck_back_in_stock_notified check ((status = 'notified') = (notified_at is not null))
);

-- One pending request per customer and item: asking again is the same request.
create unique index uq_back_in_stock_pending on back_in_stock_requests (user_id, product_id, coalesce(variant_id, 0)) where status = 'pending';
-- The projection's lookup when an item comes back.
create index idx_back_in_stock_pending_product on back_in_stock_requests (product_id) where status = 'pending';
create index idx_back_in_stock_user on back_in_stock_requests (user_id, created_at desc);

insert into email_templates (name, subject, content, text_content, type, variables, sample_data) values
('back_in_stock', '{{ product.name }} voltou ao estoque',
$html$<p>Olá, {{ first_name }}!</p>
<p>Você pediu para avisarmos: <strong>{{ product.name }}</strong> voltou ao estoque{% if product.price %} por {{ product.price | brl }}{% endif %}.</p>
<p><a href="{{ site_url }}/produtos/{{ product.slug }}" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Ver o produto</a></p>
<p>As unidades são poucas e vendidas por ordem de pedido.</p>$html$,
$text$Olá, {{ first_name }}!

Você pediu para avisarmos: {{ product.name }} voltou ao estoque{% if product.price %} por {{ product.price | brl }}{% endif %}.
{{ site_url }}/produtos/{{ product.slug }}

As unidades são poucas e vendidas por ordem de pedido.$text$,
'transactional', '["first_name", "product"]',
'{"first_name": "Ana", "product": {"name": "Café Catuaí Amarelo 250 g", "slug": "cafe-catuai-amarelo-250g", "price": 54.95}}'),

('low_stock', 'Estoque no ponto de reposição: {{ item.sku }}',
$html$<p>Olá, {{ first_name }}.</p>
<p>O item <strong>{{ item.sku }}</strong> ({{ item.name }}) chegou a <strong>{{ item.available }}</strong> unidade(s) disponível(is), no ponto de reposição de {{ item.reorder_point }}.</p>
<p>Quantidade de reposição sugerida: {{ item.reorder_quantity }}.</p>$html$,
$text$Olá, {{ first_name }}.

O item {{ item.sku }} ({{ item.name }}) chegou a {{ item.available }} unidade(s) disponível(is), no ponto de reposição de {{ item.reorder_point }}.
Quantidade de reposição sugerida: {{ item.reorder_quantity }}.$text$,
'transactional', '["first_name", "item"]',
'{"first_name": "Bruno", "item": {"sku": "CAFE-CATUAI-250", "name": "Café Catuaí Amarelo 250 g", "available": 4, "reorder_point": 5, "reorder_quantity": 40}}')
on conflict (name) do nothing;

insert into notification_templates (name, type, subject, content, variables) values
('back_in_stock', 'stock_alert', '{{ product.name }} voltou ao estoque', 'O produto que você pediu para acompanhar está disponível.', '["product"]')
on conflict (name) do nothing;
