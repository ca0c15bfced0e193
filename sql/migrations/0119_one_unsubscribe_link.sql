-- 0119: automation e-mails carry one unsubscribe link, the layout's. The three automation
-- templates of 0111 had their own ("Não quer mais receber ofertas?") beside the footer that every
-- marketing e-mail gets (0105), so a customer saw two. Each part (HTML, text) loses its line only
-- where it is still exactly as 0111 seeded it (compared by digest): a template an administrator
-- edited is theirs, and is left as it is.

update email_templates t
set content = left(t.content, length(t.content) - length($line$
<p style="font-size:12px;color:#7a6a5d">Não quer mais receber ofertas? {% if unsubscribe_url %}<a href="{{ unsubscribe_url }}">Cancele aqui</a>{% else %}Altere em <a href="{{ site_url }}/conta/privacidade">Minha conta › Privacidade</a>{% endif %}.</p>$line$)), updated_at = now()
from (values
    ('automation_abandoned_cart', 'c3c60fb182b197a3897ce4b7c56a38ad'),
    ('automation_welcome_offer', '121aca03392da42ae8560962f6f7eeef'),
    ('automation_back_in_stock_reminder', '8e7050f3c773648eb5432ce716b5e388')
) seed(name, html_md5)
where t.name = seed.name and md5(t.content) = seed.html_md5;

update email_templates t
set text_content = left(t.text_content, length(t.text_content) - length($line$

Não quer mais receber ofertas? {% if unsubscribe_url %}{{ unsubscribe_url }}{% else %}{{ site_url }}/conta/privacidade{% endif %}$line$)), updated_at = now()
from (values
    ('automation_abandoned_cart', '065d53ac547c2169a104957a9d2b6f7e'),
    ('automation_welcome_offer', '2f5e89e14061e1fdfb8c6b3e2c5e4ac9'),
    ('automation_back_in_stock_reminder', 'd8c7dd6cb8c3471961c68f7f3a741be8')
) seed(name, text_md5)
where t.name = seed.name and md5(t.text_content) = seed.text_md5;

-- The link still comes with every marketing message (the layout shows it): a template that no
-- longer uses it stops naming it among its own variables.
update email_templates
set variables = variables - 'unsubscribe_url'
where name in ('automation_abandoned_cart', 'automation_welcome_offer', 'automation_back_in_stock_reminder')
  and content not like '%unsubscribe_url%' and text_content not like '%unsubscribe_url%';
