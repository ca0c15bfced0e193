-- 0111: the e-mails the marketing automations send (type 'marketing': sent only with the
-- customer's e-mail marketing consent, which the engine checks before every step). Their data:
-- first_name, the trigger's facts (cart items and total, product), the coupon an earlier step
-- issued, and unsubscribe_url, the one-click unsubscribe link once the newsletter work provides it
-- (absent until then; the footer falls back to the account's privacy settings). Inserted once, never
-- overwritten here: administrators edit them.

insert into email_templates (name, subject, content, text_content, type, variables, sample_data) values
('automation_abandoned_cart', '{{ first_name }}, seus cafés ainda estão no carrinho',
$html$<p>Olá, {{ first_name }}!</p>
<p>Você deixou estes itens no carrinho:</p>
<table role="presentation" cellpadding="4" style="border-collapse:collapse;width:100%">
{% for item in cart.items %}<tr><td>{{ item.quantity }} × {{ item.name }}</td><td align="right">{{ item.total | brl }}</td></tr>
{% endfor %}<tr><td><strong>Total</strong></td><td align="right"><strong>{{ cart.total | brl }}</strong></td></tr>
</table>
{% if coupon %}<p>Para ajudar na decisão, use o cupom <strong>{{ coupon.code }}</strong> até {{ coupon.expires_at | date: "%d/%m/%Y" }}.</p>{% endif %}
<p><a href="{{ site_url }}/carrinho" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Finalizar a compra</a></p>
<p style="font-size:12px;color:#7a6a5d">Não quer mais receber ofertas? {% if unsubscribe_url %}<a href="{{ unsubscribe_url }}">Cancele aqui</a>{% else %}Altere em <a href="{{ site_url }}/conta/privacidade">Minha conta › Privacidade</a>{% endif %}.</p>$html$,
$text$Olá, {{ first_name }}!

Você deixou estes itens no carrinho:
{% for item in cart.items %}- {{ item.quantity }} × {{ item.name }}: {{ item.total | brl }}
{% endfor %}Total: {{ cart.total | brl }}
{% if coupon %}
Para ajudar na decisão, use o cupom {{ coupon.code }} até {{ coupon.expires_at | date: "%d/%m/%Y" }}.
{% endif %}
Finalize a compra: {{ site_url }}/carrinho

Não quer mais receber ofertas? {% if unsubscribe_url %}{{ unsubscribe_url }}{% else %}{{ site_url }}/conta/privacidade{% endif %}$text$,
'marketing', '["first_name", "cart", "coupon", "unsubscribe_url"]',
'{"first_name": "Ana", "cart": {"total": 109.90, "items": [{"name": "Café Catuaí Amarelo 250 g", "quantity": 2, "total": 109.90}]}, "coupon": {"code": "MC-AU-1-1", "expires_at": "2026-03-01T12:00:00Z"}}'),

('automation_welcome_offer', '{{ first_name }}, um presente para o seu primeiro café',
$html$<p>Olá, {{ first_name }}!</p>
<p>Que bom ter você na Mestres Café. Para o seu primeiro pedido, separamos um cupom só seu:</p>
{% if coupon %}<p style="font-family:monospace;font-size:20px;background:#f6f1eb;padding:12px">{{ coupon.code }}</p>
<p>Válido até {{ coupon.expires_at | date: "%d/%m/%Y" }}, para uma compra.</p>{% endif %}
<p><a href="{{ site_url }}" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Escolher meu café</a></p>
<p style="font-size:12px;color:#7a6a5d">Não quer mais receber ofertas? {% if unsubscribe_url %}<a href="{{ unsubscribe_url }}">Cancele aqui</a>{% else %}Altere em <a href="{{ site_url }}/conta/privacidade">Minha conta › Privacidade</a>{% endif %}.</p>$html$,
$text$Olá, {{ first_name }}!

Que bom ter você na Mestres Café. Para o seu primeiro pedido, separamos um cupom só seu:
{% if coupon %}{{ coupon.code }} (válido até {{ coupon.expires_at | date: "%d/%m/%Y" }}, para uma compra)
{% endif %}
{{ site_url }}

Não quer mais receber ofertas? {% if unsubscribe_url %}{{ unsubscribe_url }}{% else %}{{ site_url }}/conta/privacidade{% endif %}$text$,
'marketing', '["first_name", "coupon", "unsubscribe_url"]',
'{"first_name": "Ana", "coupon": {"code": "MC-AU-1-2", "expires_at": "2026-03-01T12:00:00Z"}}'),

('automation_back_in_stock_reminder', '{{ product.name }} continua esperando por você',
$html$<p>Olá, {{ first_name }}!</p>
<p>Há alguns dias avisamos que <strong>{{ product.name }}</strong> voltou ao estoque. As unidades estão acabando.</p>
<p><a href="{{ site_url }}/produtos/{{ product.slug }}" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Ver o produto</a></p>
<p style="font-size:12px;color:#7a6a5d">Não quer mais receber ofertas? {% if unsubscribe_url %}<a href="{{ unsubscribe_url }}">Cancele aqui</a>{% else %}Altere em <a href="{{ site_url }}/conta/privacidade">Minha conta › Privacidade</a>{% endif %}.</p>$html$,
$text$Olá, {{ first_name }}!

Há alguns dias avisamos que {{ product.name }} voltou ao estoque. As unidades estão acabando.
{{ site_url }}/produtos/{{ product.slug }}

Não quer mais receber ofertas? {% if unsubscribe_url %}{{ unsubscribe_url }}{% else %}{{ site_url }}/conta/privacidade{% endif %}$text$,
'marketing', '["first_name", "product", "unsubscribe_url"]',
'{"first_name": "Ana", "product": {"name": "Café Catuaí Amarelo 250 g", "slug": "cafe-catuai-amarelo-250g"}}')
on conflict (name) do nothing;
