-- Reference data every environment needs, not demo data: the four roles, the permissions the
-- code asks for, and what each role grants. Without them a store started without the demo seed
-- has nobody who may do anything (sign-ups get the default role, customer; the first admin gets
-- admin, see README "Running a real store").
-- Idempotent upserts on the natural keys: a database that already has them from the demo seed of
-- earlier versions is left as it is (a description is only rewritten when it differs; grants are
-- only added). After this, roles and grants belong to the back office (/api/admin/roles), and the
-- demo seed no longer writes them.

insert into roles (name, description, is_default) values
    ('admin',    'Administrador: acesso total ao back office e à configuração do sistema', false),
    ('manager',  'Gerente: catálogo, estoque, compras, pedidos, cupons, marketing, conteúdo e relatórios', false),
    ('support',  'Atendimento: consulta de pedidos e clientes, devoluções e comunicação com clientes', false),
    ('customer', 'Cliente da loja virtual', true)
on conflict (name) do update
    set description = excluded.description, is_default = excluded.is_default
    where (roles.description, roles.is_default) is distinct from (excluded.description, excluded.is_default);

insert into permissions (name, resource, action, description, conditions)
select r || ':' || a, r, a, d, c::jsonb
from (values
    ('products',    'read',     'Ver produtos, variantes e preços no back office', '{}'),
    ('products',    'write',    'Criar e editar produtos, variantes, imagens e atributos', '{}'),
    ('categories',  'write',    'Criar e editar categorias e marcas', '{}'),
    ('inventory',   'read',     'Ver estoque e movimentações', '{}'),
    ('inventory',   'write',    'Ajustar estoque e receber mercadorias', '{}'),
    ('purchasing',  'read',     'Ver fornecedores e pedidos de compra', '{}'),
    ('purchasing',  'write',    'Criar e editar fornecedores e pedidos de compra', '{}'),
    ('orders',      'read',     'Ver todos os pedidos', '{}'),
    ('orders',      'write',    'Alterar status, cancelar e anotar pedidos', '{}'),
    ('orders',      'refund',   'Estornar pagamentos', '{}'),
    ('returns',     'write',    'Aprovar e processar devoluções', '{}'),
    ('payments',    'read',     'Ver pagamentos, estornos e webhooks', '{}'),
    ('coupons',     'read',     'Ver cupons e seus usos', '{}'),
    ('coupons',     'write',    'Criar, editar e desativar cupons', '{}'),
    ('customers',   'read',     'Ver clientes, grupos e segmentos (CRM)', '{}'),
    ('customers',   'write',    'Editar clientes, grupos, segmentos, leads e comunicações', '{}'),
    ('loyalty',     'read',     'Ver contas de fidelidade, recompensas e conquistas', '{}'),
    ('loyalty',     'write',    'Configurar o programa, recompensas, conquistas e ajustar pontos', '{}'),
    ('marketing',   'write',    'Campanhas, newsletter, templates e automações', '{}'),
    ('content',     'write',    'Blog, cursos, módulos e aulas', '{}'),
    ('reports',     'read',     'Relatórios e exportações', '{}'),
    ('users',       'read',     'Ver usuários e papéis', '{}'),
    ('users',       'write',    'Criar, desativar usuários e atribuir papéis', '{}'),
    -- the administrator's permission: whoever holds it can give any role any permission, so the
    -- last holder cannot lose it (RoleAdminStore)
    ('roles',       'write',    'Criar papéis e conceder ou retirar permissões', '{}'),
    ('settings',    'write',    'Alterar configurações do sistema e tarefas agendadas', '{}'),
    ('audit',       'read',     'Consultar a trilha de auditoria e os logs do sistema', '{}'),
    -- storefront permissions of a customer; *_own are limited to the caller's own records
    ('account',     'read_own', 'Ver o próprio perfil, endereços e cartões salvos', '{"owner_only": true}'),
    ('account',     'write_own','Editar o próprio perfil, endereços e cartões salvos', '{"owner_only": true}'),
    ('cart',        'write_own','Manter o próprio carrinho e lista de desejos', '{"owner_only": true}'),
    ('orders',      'create',   'Finalizar compras', '{}'),
    ('orders',      'read_own', 'Ver os próprios pedidos e solicitar devoluções', '{"owner_only": true}'),
    ('loyalty',     'read_own', 'Ver a própria conta Mestres Club e resgatar recompensas', '{"owner_only": true}'),
    ('reviews',     'write_own','Avaliar produtos comprados', '{"owner_only": true}'),
    ('courses',     'read_own', 'Assistir aos cursos em que está matriculado', '{"owner_only": true}')
) as p(r, a, d, c)
on conflict (name) do update
    set description = excluded.description, conditions = excluded.conditions
    where (permissions.description, permissions.conditions)
          is distinct from (excluded.description, excluded.conditions);

-- admin: every back-office permission (not the customer's own-record ones, nor buying: staff buy
-- with a customer account).
insert into role_permissions (role_id, permission_id)
select ro.id, pe.id
from roles ro
join permissions pe on
    ro.name = 'admin' and pe.action not like '%\_own' and pe.name <> 'orders:create'
    or (ro.name, pe.name) in (
        ('manager', 'products:read'), ('manager', 'products:write'), ('manager', 'categories:write'),
        ('manager', 'inventory:read'), ('manager', 'inventory:write'), ('manager', 'purchasing:read'),
        ('manager', 'purchasing:write'), ('manager', 'orders:read'), ('manager', 'orders:write'),
        ('manager', 'orders:refund'), ('manager', 'returns:write'), ('manager', 'payments:read'),
        ('manager', 'coupons:read'), ('manager', 'coupons:write'), ('manager', 'customers:read'),
        ('manager', 'customers:write'), ('manager', 'loyalty:read'), ('manager', 'loyalty:write'),
        ('manager', 'marketing:write'), ('manager', 'content:write'), ('manager', 'reports:read'),
        ('manager', 'users:read'),
        ('support', 'products:read'), ('support', 'inventory:read'), ('support', 'orders:read'),
        ('support', 'orders:write'), ('support', 'returns:write'), ('support', 'payments:read'),
        ('support', 'coupons:read'), ('support', 'customers:read'), ('support', 'customers:write'),
        ('support', 'loyalty:read'),
        ('customer', 'account:read_own'), ('customer', 'account:write_own'), ('customer', 'cart:write_own'),
        ('customer', 'orders:create'), ('customer', 'orders:read_own'), ('customer', 'loyalty:read_own'),
        ('customer', 'reviews:write_own'), ('customer', 'courses:read_own'))
on conflict (role_id, permission_id) do nothing;
