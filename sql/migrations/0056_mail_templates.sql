-- 0056: the e-mail templates the store sends, in pt-BR Liquid (rendered by Fluid). email_templates
-- keeps the subject and HTML body (content) and now also the text body every message carries as its
-- alternative, and the sample data a template is checked against at save and previewed with. The
-- template named 'layout' wraps every message ({{ body }}: logo, footer with the company's details).
-- notification_templates holds the short in-app notice shown under /api/me/notifications, by the
-- same name. Administrators edit both; these rows are the starting point (inserted once, never
-- overwritten here).

alter table email_templates
    add column text_content text not null default '',
    add column sample_data jsonb not null default '{}'::jsonb check (jsonb_typeof(sample_data) = 'object');

insert into email_templates (name, subject, content, text_content, type, variables, sample_data) values
('layout', '{{ subject }}',
$html$<!doctype html>
<html lang="pt-BR">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{ subject }}</title></head>
<body style="margin:0;background:#f6f1eb;font-family:Georgia,serif;color:#2b1d14">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="background:#ffffff;border-radius:8px">
<tr><td style="padding:24px 32px;border-bottom:1px solid #eadfd3"><a href="{{ site_url }}"><img src="{{ company.logo_url }}" alt="Mestres Café" height="40"></a></td></tr>
<tr><td style="padding:32px;font-size:16px;line-height:1.5">{{ body }}</td></tr>
<tr><td style="padding:24px 32px;border-top:1px solid #eadfd3;font-size:12px;color:#7a6a5d">
{{ company.name }} · CNPJ {{ company.cnpj }}<br>{{ company.address }}<br>
Dúvidas? Escreva para <a href="mailto:{{ company.support_email }}">{{ company.support_email }}</a>.
</td></tr>
</table></td></tr></table>
</body></html>$html$,
$text${{ body }}

--
{{ company.name }} · CNPJ {{ company.cnpj }}
{{ company.address }}
Dúvidas? Escreva para {{ company.support_email }}.$text$,
'transactional', '["body", "subject", "company", "site_url"]', '{}'),

('password_reset', 'Redefinição de senha da sua conta Mestres Café',
$html$<p>Olá, {{ first_name }}!</p>
<p>Recebemos um pedido para redefinir a senha da sua conta. Para escolher uma nova senha, use o botão abaixo em até {{ hours }} hora(s):</p>
<p><a href="{{ link }}" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Redefinir senha</a></p>
<p>Se não foi você, ignore esta mensagem: a sua senha continua a mesma.</p>$html$,
$text$Olá, {{ first_name }}!

Recebemos um pedido para redefinir a senha da sua conta. Para escolher uma nova senha, abra este link em até {{ hours }} hora(s):
{{ link }}

Se não foi você, ignore esta mensagem: a sua senha continua a mesma.$text$,
'transactional', '["first_name", "link", "hours"]',
'{"first_name": "Ana", "link": "https://mestres.cafe/conta/redefinir-senha?token=exemplo", "hours": 1}'),

('email_verification', 'Confirme o seu e-mail na Mestres Café',
$html$<p>Boas-vindas à Mestres Café, {{ first_name }}!</p>
<p>Confirme o seu e-mail em até {{ hours }} horas. Com o e-mail confirmado, o cupom de primeira compra fica disponível.</p>
<p><a href="{{ link }}" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Confirmar e-mail</a></p>
<p>Se não foi você quem criou a conta, ignore esta mensagem.</p>$html$,
$text$Boas-vindas à Mestres Café, {{ first_name }}!

Confirme o seu e-mail em até {{ hours }} horas abrindo este link:
{{ link }}

Com o e-mail confirmado, o cupom de primeira compra fica disponível.
Se não foi você quem criou a conta, ignore esta mensagem.$text$,
'transactional', '["first_name", "link", "hours"]',
'{"first_name": "Ana", "link": "https://mestres.cafe/conta/confirmar-email?token=exemplo", "hours": 72}'),

('registration_attempt', 'Tentativa de cadastro com o seu e-mail',
$html$<p>Olá, {{ first_name }}.</p>
<p>Alguém tentou criar uma conta na Mestres Café com este e-mail, que já tem uma conta. Se foi você, entre com a sua senha ou peça a redefinição dela.</p>
<p>Se não foi, ignore esta mensagem: nada mudou na sua conta.</p>$html$,
$text$Olá, {{ first_name }}.

Alguém tentou criar uma conta na Mestres Café com este e-mail, que já tem uma conta. Se foi você, entre com a sua senha ou peça a redefinição dela.
Se não foi, ignore esta mensagem: nada mudou na sua conta.$text$,
'transactional', '["first_name"]', '{"first_name": "Ana"}'),

('order_received', 'Recebemos o seu pedido {{ order.number }}',
$html$<p>Olá, {{ first_name }}!</p>
<p>Recebemos o seu pedido <strong>{{ order.number }}</strong>, no total de <strong>{{ order.total | brl }}</strong>.</p>
<table role="presentation" cellpadding="4" style="border-collapse:collapse;width:100%">
{% for item in order.items %}<tr><td>{{ item.quantity }} × {{ item.name }}</td><td align="right">{{ item.total | brl }}</td></tr>
{% endfor %}<tr><td>Frete</td><td align="right">{{ order.shipping | brl }}</td></tr>
{% if order.discount > 0 %}<tr><td>Desconto</td><td align="right">-{{ order.discount | brl }}</td></tr>{% endif %}
<tr><td><strong>Total</strong></td><td align="right"><strong>{{ order.total | brl }}</strong></td></tr>
</table>
{% if order.pix_code %}<p>Pague com Pix até {{ order.payment_due_at | date: "%d/%m/%Y às %H:%M" }} com o código copia e cola:</p>
<p style="font-family:monospace;word-break:break-all;background:#f6f1eb;padding:12px">{{ order.pix_code }}</p>{% endif %}
{% if order.boleto_line %}<p>Pague o boleto até {{ order.payment_due_at | date: "%d/%m/%Y" }} com a linha digitável:</p>
<p style="font-family:monospace;background:#f6f1eb;padding:12px">{{ order.boleto_line }}</p>{% endif %}
<p>Assim que o pagamento for confirmado, avisamos você.</p>$html$,
$text$Olá, {{ first_name }}!

Recebemos o seu pedido {{ order.number }}, no total de {{ order.total | brl }}.
{% for item in order.items %}
- {{ item.quantity }} × {{ item.name }}: {{ item.total | brl }}{% endfor %}
Frete: {{ order.shipping | brl }}{% if order.discount > 0 %}
Desconto: -{{ order.discount | brl }}{% endif %}
Total: {{ order.total | brl }}
{% if order.pix_code %}
Pague com Pix até {{ order.payment_due_at | date: "%d/%m/%Y às %H:%M" }} com o código copia e cola:
{{ order.pix_code }}
{% endif %}{% if order.boleto_line %}
Pague o boleto até {{ order.payment_due_at | date: "%d/%m/%Y" }} com a linha digitável:
{{ order.boleto_line }}
{% endif %}
Assim que o pagamento for confirmado, avisamos você.$text$,
'transactional', '["first_name", "order"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "subtotal": 109.90, "shipping": 20.00, "discount": 0, "payment_method": "pix", "pix_code": "00020126580014BR.GOV.BCB.PIX0136exemplo5204000053039865406129.905802BR6304ABCD", "boleto_line": null, "payment_due_at": "2026-01-15T18:00:00Z", "tracking_number": null, "items": [{"name": "Café Catuaí Amarelo 250 g", "quantity": 2, "unit_price": 54.95, "total": 109.90}]}}'),

('payment_confirmed', 'Pagamento confirmado: pedido {{ order.number }}',
$html$<p>Olá, {{ first_name }}!</p>
<p>O pagamento de <strong>{{ order.total | brl }}</strong> do pedido <strong>{{ order.number }}</strong> foi confirmado. Agora separamos e torramos o seu café; avisamos quando ele sair para entrega.</p>$html$,
$text$Olá, {{ first_name }}!

O pagamento de {{ order.total | brl }} do pedido {{ order.number }} foi confirmado. Agora separamos e torramos o seu café; avisamos quando ele sair para entrega.$text$,
'transactional', '["first_name", "order"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": []}}'),

('payment_expired', 'O prazo de pagamento do pedido {{ order.number }} acabou',
$html$<p>Olá, {{ first_name }}.</p>
<p>O prazo para pagar o pedido <strong>{{ order.number }}</strong> ({{ order.total | brl }}) acabou e ele foi cancelado; nada foi cobrado. Os produtos continuam na loja: <a href="{{ site_url }}">faça um novo pedido</a> quando quiser.</p>$html$,
$text$Olá, {{ first_name }}.

O prazo para pagar o pedido {{ order.number }} ({{ order.total | brl }}) acabou e ele foi cancelado; nada foi cobrado. Os produtos continuam na loja: {{ site_url }}$text$,
'transactional', '["first_name", "order"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": []}}'),

('order_shipped', 'O pedido {{ order.number }} saiu para entrega',
$html$<p>Olá, {{ first_name }}!</p>
<p>O seu pedido <strong>{{ order.number }}</strong> foi enviado. Código de rastreamento: <strong>{{ order.tracking_number }}</strong>.</p>$html$,
$text$Olá, {{ first_name }}!

O seu pedido {{ order.number }} foi enviado. Código de rastreamento: {{ order.tracking_number }}.$text$,
'transactional', '["first_name", "order"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "tracking_number": "BR123456789BR", "items": []}}'),

('refund_issued', 'Reembolso de {{ refund.amount | brl }} do pedido {{ order.number }}',
$html$<p>Olá, {{ first_name }}.</p>
<p>Fizemos o reembolso de <strong>{{ refund.amount | brl }}</strong> do pedido <strong>{{ order.number }}</strong>. O valor volta pela mesma forma de pagamento; o prazo depende do seu banco ou cartão.</p>$html$,
$text$Olá, {{ first_name }}.

Fizemos o reembolso de {{ refund.amount | brl }} do pedido {{ order.number }}. O valor volta pela mesma forma de pagamento; o prazo depende do seu banco ou cartão.$text$,
'transactional', '["first_name", "order", "refund"]',
'{"first_name": "Ana", "order": {"number": "MC-EXEMPLO", "total": 129.90, "items": []}, "refund": {"amount": 54.95}}')
on conflict (name) do nothing;

insert into notification_templates (name, type, subject, content, variables) values
('order_received', 'order_status', 'Pedido {{ order.number }} recebido', 'Aguardando o pagamento de {{ order.total | brl }}.', '["order"]'),
('payment_confirmed', 'payment', 'Pagamento do pedido {{ order.number }} confirmado', 'Recebemos {{ order.total | brl }}.', '["order"]'),
('payment_expired', 'payment', 'Pedido {{ order.number }} cancelado', 'O prazo de pagamento acabou; nada foi cobrado.', '["order"]'),
('order_shipped', 'shipping', 'Pedido {{ order.number }} enviado', 'Rastreamento: {{ order.tracking_number }}.', '["order"]'),
('refund_issued', 'payment', 'Reembolso do pedido {{ order.number }}', 'Reembolsamos {{ refund.amount | brl }}.', '["order", "refund"]')
on conflict (name) do nothing;
