-- 0105: the newsletter with double opt-in.
--
-- newsletter_subscriptions: a sign-up is 'pending' until the confirmation link (signed, expiring;
-- nothing about it is stored) is opened; preferences.topics lists the topics wanted (none: all).
-- A subscriber whose e-mail is an account's follows that account's e-mail marketing consent both
-- ways (marketing_consents, now also given or withdrawn by a confirmation or an unsubscribe link).
-- Every marketing e-mail carries the unsubscribe and preferences links (the layout below) and the
-- List-Unsubscribe headers; a hard bounce ends marketing to the address.

alter table marketing_consents drop constraint marketing_consents_source_check;
alter table marketing_consents add constraint marketing_consents_source_check
    check (source in ('account_settings', 'checkout', 'registration', 'newsletter_form', 'support', 'unsubscribe_link'));

-- A hard bounce (the relay refused the mailbox for good: 550, 551, 553) ends marketing to the
-- address: the newsletter row becomes 'bounced', and marketing audiences skip it; transactional
-- mail still tries.
create function mark_bounced_recipient() returns trigger
language plpgsql as $$
begin
    update newsletter_subscriptions
    set status = 'bounced', unsubscribed_at = now(), unsubscribe_reason = 'bounced'
    where email = lower(btrim(new.recipient)) and status in ('pending', 'subscribed');
    return null;
end;
$$;

create trigger trg_outbound_messages_bounce after update of status on outbound_messages
    for each row when (new.status = 'failed' and old.status is distinct from new.status and new.smtp_reply ~ '^55[013]')
    execute function mark_bounced_recipient();

-- The layout shows the unsubscribe and preferences links in every marketing message (the values
-- are only set for marketing); changed only while it is still the layout 0056 wrote.
update email_templates
set content = replace(content,
        'Dúvidas? Escreva para <a href="mailto:{{ company.support_email }}">{{ company.support_email }}</a>.',
        'Dúvidas? Escreva para <a href="mailto:{{ company.support_email }}">{{ company.support_email }}</a>.'
        || '{% if unsubscribe_url %}<br>Você recebe este e-mail porque aceitou receber novidades da Mestres Café. '
        || '<a href="{{ unsubscribe_url }}">Descadastrar</a> · <a href="{{ preferences_url }}">Preferências de e-mail</a>{% endif %}'),
    text_content = text_content || '{% if unsubscribe_url %}
Descadastrar: {{ unsubscribe_url }}
Preferências de e-mail: {{ preferences_url }}{% endif %}',
    variables = variables || '["unsubscribe_url", "preferences_url"]'::jsonb
where name = 'layout' and content not like '%unsubscribe_url%';

insert into email_templates (name, subject, content, text_content, type, variables, sample_data) values
('newsletter_confirmation', 'Confirme a sua inscrição na newsletter da Mestres Café',
$html$<p>Olá!</p>
<p>Recebemos um pedido para inscrever este e-mail na newsletter da Mestres Café. Para confirmar, use o botão abaixo em até {{ hours }} horas:</p>
<p><a href="{{ link }}" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Confirmar inscrição</a></p>
<p>Se não foi você, ignore esta mensagem: sem a confirmação, nada será enviado.</p>$html$,
$text$Olá!

Recebemos um pedido para inscrever este e-mail na newsletter da Mestres Café. Para confirmar, abra este link em até {{ hours }} horas:
{{ link }}

Se não foi você, ignore esta mensagem: sem a confirmação, nada será enviado.$text$,
'transactional', '["link", "hours"]',
'{"link": "https://mestres.cafe/newsletter/confirmar?token=exemplo", "hours": 72}')
on conflict (name) do nothing;

-- A first marketing template, for campaigns and the newsletter.
insert into email_templates (name, subject, content, text_content, type, variables, sample_data) values
('campaign_novidades', 'Novidades da torra, {{ first_name }}',
$html$<p>Olá, {{ first_name }}!</p>
<p>Chegaram à loja os microlotes da nova safra, torrados nesta semana. Separamos os nossos preferidos para você conhecer antes de todo mundo.</p>
<p><a href="{{ site_url }}/cafes" style="background:#6b3e26;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Ver os cafés da safra</a></p>
<p>Boa xícara!</p>$html$,
$text$Olá, {{ first_name }}!

Chegaram à loja os microlotes da nova safra, torrados nesta semana. Separamos os nossos preferidos para você conhecer antes de todo mundo:
{{ site_url }}/cafes

Boa xícara!$text$,
'marketing', '["first_name", "campaign"]',
'{"first_name": "Ana", "campaign": {"id": 1, "name": "Safra nova"}}')
on conflict (name) do nothing;
