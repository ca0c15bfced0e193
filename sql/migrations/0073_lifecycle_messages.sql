-- 0073: the e-mails of the customer's life with the store beyond an order's payment: welcome (once
-- the e-mail is confirmed), loyalty tier change and reward issued (optional: category 'loyalty'),
-- delivered and the review request some days later (optional: 'review_requests'), and a return's
-- steps (requested, approved, rejected, refunded). Each is queued by the event that causes it, keyed
-- by that event. In-app notices for the order ones; loyalty writes its own.

insert into email_templates (name, subject, content, text_content, type, variables, sample_data) values
('welcome', 'Boas-vindas à Mestres Café, {{ first_name }}',
$html$<p>Olá, {{ first_name }}!</p>
<p>O seu e-mail está confirmado e a sua conta está pronta. Na Mestres Café você encontra cafés especiais de pequenos produtores, torrados na semana, e cursos para preparar cada um deles.</p>
<p>Cada compra soma pontos no nosso programa de fidelidade, que viram descontos e brindes.</p>
<p><a href="{{ site_url }}" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Conhecer a loja</a></p>$html$,
$text$Olá, {{ first_name }}!

O seu e-mail está confirmado e a sua conta está pronta. Na Mestres Café você encontra cafés especiais de pequenos produtores, torrados na semana, e cursos para preparar cada um deles.
Cada compra soma pontos no nosso programa de fidelidade, que viram descontos e brindes.

{{ site_url }}$text$,
'transactional', '["first_name"]', '{"first_name": "Ana"}'),

('loyalty_tier_changed', 'Seu nível no programa de fidelidade agora é {{ tier.to }}',
$html$<p>Olá, {{ first_name }}!</p>
<p>Você passou do nível <strong>{{ tier.from }}</strong> para o nível <strong>{{ tier.to }}</strong>. Seu saldo é de {{ tier.points }} pontos.</p>$html$,
$text$Olá, {{ first_name }}!

Você passou do nível {{ tier.from }} para o nível {{ tier.to }}. Seu saldo é de {{ tier.points }} pontos.$text$,
'notification', '["first_name", "tier"]', '{"first_name": "Ana", "tier": {"from": "bronze", "to": "prata", "points": 1250}}'),

('reward_issued', 'Sua recompensa chegou: {{ reward.name }}',
$html$<p>Olá, {{ first_name }}!</p>
<p>Você trocou {{ reward.points }} pontos por <strong>{{ reward.name }}</strong>. Use o cupom abaixo até {{ reward.expires_at | date: "%d/%m/%Y" }}:</p>
<p style="font-family:monospace;font-size:20px;background:#f6f1eb;padding:12px">{{ reward.coupon }}</p>$html$,
$text$Olá, {{ first_name }}!

Você trocou {{ reward.points }} pontos por {{ reward.name }}. Use o cupom abaixo até {{ reward.expires_at | date: "%d/%m/%Y" }}:
{{ reward.coupon }}$text$,
'notification', '["first_name", "reward"]',
'{"first_name": "Ana", "reward": {"name": "Frete grátis", "coupon": "RW-EXEMPLO", "expires_at": "2026-03-01T12:00:00Z", "points": 500}}'),

('order_delivered', 'O pedido {{ order.number }} foi entregue',
$html$<p>Olá, {{ first_name }}!</p>
<p>O pedido <strong>{{ order.number }}</strong> foi entregue. Bom café! Se algo não chegou como esperado, você pode pedir a devolução na sua conta.</p>$html$,
$text$Olá, {{ first_name }}!

O pedido {{ order.number }} foi entregue. Bom café! Se algo não chegou como esperado, você pode pedir a devolução na sua conta.$text$,
'transactional', '["first_name", "order"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": []}}'),

('review_request', 'O que achou do pedido {{ order.number }}?',
$html$<p>Olá, {{ first_name }}!</p>
<p>Esperamos que esteja aproveitando o seu café. Conte para outros clientes o que achou:</p>
<ul>{% for item in order.items %}<li>{{ item.name }}</li>{% endfor %}</ul>
<p><a href="{{ site_url }}/conta/pedidos/{{ order.number }}" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Avaliar os produtos</a></p>$html$,
$text$Olá, {{ first_name }}!

Esperamos que esteja aproveitando o seu café. Conte para outros clientes o que achou:
{% for item in order.items %}- {{ item.name }}
{% endfor %}
{{ site_url }}/conta/pedidos/{{ order.number }}$text$,
'notification', '["first_name", "order"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": [{"name": "Café Catuaí Amarelo 250 g", "quantity": 2, "unit_price": 54.95, "total": 109.90}]}}'),

('return_requested', 'Recebemos o seu pedido de devolução: pedido {{ order.number }}',
$html$<p>Olá, {{ first_name }}.</p>
<p>Recebemos o pedido de devolução de {{ return.quantity }} × {{ return.name }} do pedido <strong>{{ order.number }}</strong>. Vamos analisar e responder em até 2 dias úteis.</p>$html$,
$text$Olá, {{ first_name }}.

Recebemos o pedido de devolução de {{ return.quantity }} × {{ return.name }} do pedido {{ order.number }}. Vamos analisar e responder em até 2 dias úteis.$text$,
'transactional', '["first_name", "order", "return"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": []}, "return": {"name": "Café Catuaí Amarelo 250 g", "quantity": 1, "amount": 54.95, "reason": "defective"}}'),

('return_approved', 'Devolução aprovada: pedido {{ order.number }}',
$html$<p>Olá, {{ first_name }}.</p>
<p>A devolução de {{ return.quantity }} × {{ return.name }} do pedido <strong>{{ order.number }}</strong> foi aprovada. Envie o produto para o endereço da loja; quando ele chegar, reembolsamos até {{ return.amount | brl }}.</p>$html$,
$text$Olá, {{ first_name }}.

A devolução de {{ return.quantity }} × {{ return.name }} do pedido {{ order.number }} foi aprovada. Envie o produto para o endereço da loja; quando ele chegar, reembolsamos até {{ return.amount | brl }}.$text$,
'transactional', '["first_name", "order", "return"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": []}, "return": {"name": "Café Catuaí Amarelo 250 g", "quantity": 1, "amount": 54.95, "reason": "defective"}}'),

('return_rejected', 'Devolução não aprovada: pedido {{ order.number }}',
$html$<p>Olá, {{ first_name }}.</p>
<p>Analisamos o pedido de devolução de {{ return.quantity }} × {{ return.name }} do pedido <strong>{{ order.number }}</strong> e não pudemos aprová-lo. Escreva para o atendimento se quiser conversar sobre isso.</p>$html$,
$text$Olá, {{ first_name }}.

Analisamos o pedido de devolução de {{ return.quantity }} × {{ return.name }} do pedido {{ order.number }} e não pudemos aprová-lo. Escreva para o atendimento se quiser conversar sobre isso.$text$,
'transactional', '["first_name", "order", "return"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": []}, "return": {"name": "Café Catuaí Amarelo 250 g", "quantity": 1, "amount": 54.95, "reason": "defective"}}'),

('return_refunded', 'Devolução reembolsada: {{ refund.amount | brl }} do pedido {{ order.number }}',
$html$<p>Olá, {{ first_name }}.</p>
<p>Recebemos o produto devolvido do pedido <strong>{{ order.number }}</strong> e reembolsamos <strong>{{ refund.amount | brl }}</strong> pela mesma forma de pagamento; o prazo depende do seu banco ou cartão.</p>$html$,
$text$Olá, {{ first_name }}.

Recebemos o produto devolvido do pedido {{ order.number }} e reembolsamos {{ refund.amount | brl }} pela mesma forma de pagamento; o prazo depende do seu banco ou cartão.$text$,
'transactional', '["first_name", "order", "refund"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": []}, "refund": {"amount": 54.95}}')
on conflict (name) do nothing;

insert into notification_templates (name, type, subject, content, variables) values
('order_delivered', 'shipping', 'Pedido {{ order.number }} entregue', 'Bom café!', '["order"]'),
('return_requested', 'order_status', 'Devolução solicitada: pedido {{ order.number }}', 'Vamos analisar e responder em até 2 dias úteis.', '["order"]'),
('return_approved', 'order_status', 'Devolução aprovada: pedido {{ order.number }}', 'Envie o produto para a loja.', '["order"]'),
('return_rejected', 'order_status', 'Devolução não aprovada: pedido {{ order.number }}', 'Fale com o atendimento se quiser conversar.', '["order"]'),
('return_refunded', 'payment', 'Devolução reembolsada: pedido {{ order.number }}', 'Reembolsamos {{ refund.amount | brl }}.', '["order", "refund"]')
on conflict (name) do nothing;
