-- 0124: the birthday greeting. A customer may now give their birth date (PUT /api/me/customer/
-- birth-date), which the birthday trigger reads, optionally days ahead (days_before); this is the
-- marketing template an "Aniversário" automation sends, with the coupon a step before it issued.
-- The layout adds the unsubscribe footer, as to every marketing message (0105, 0119).

insert into email_templates (name, subject, content, text_content, type, variables, sample_data) values
('automation_birthday', 'Feliz aniversário, {{ first_name }}! Um café por nossa conta',
$html$<p>Olá, {{ first_name }}!</p>
<p>O seu aniversário está chegando e a Mestres Café quer comemorar com você.</p>
{% if coupon %}<p>Para brindar com um café especial, separamos um cupom só seu:</p>
<p style="font-family:monospace;font-size:20px;background:#f6f1eb;padding:12px">{{ coupon.code }}</p>
<p>Válido até {{ coupon.expires_at | date: "%d/%m/%Y" }}, para uma compra.</p>{% endif %}
<p><a href="{{ site_url }}/cafes" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Escolher o meu café</a></p>
<p>Um abraço e boas xícaras!</p>$html$,
$text$Olá, {{ first_name }}!

O seu aniversário está chegando e a Mestres Café quer comemorar com você.
{% if coupon %}Para brindar com um café especial, separamos um cupom só seu: {{ coupon.code }} (válido até {{ coupon.expires_at | date: "%d/%m/%Y" }}, para uma compra).
{% endif %}
{{ site_url }}/cafes

Um abraço e boas xícaras!$text$,
'marketing', '["first_name", "coupon"]',
'{"first_name": "Ana", "coupon": {"code": "MC-AU-1-2", "expires_at": "2026-03-01T12:00:00Z"}}')
on conflict (name) do nothing;
