using MestresCafe.Testing;

namespace MestresCafe.Data.Tests.Reporting;

/// <summary>
/// A small store whose figures are computed by hand in the tests (times in UTC; São Paulo is UTC-3):
/// <code>
/// order  user  status              created (UTC)      BRT day  lines              ship disc total  method  notes
/// RPT-1  ana   paid                2026-03-01 12:00   03-01    2 x cafe (50)      10   0    110    Pix
/// RPT-2  bia   delivered           2026-03-02 02:00   03-01    1 x moedor (200)   0    20   180    card    coupon TESTE20
/// RPT-3  ana   partially_refunded  2026-03-02 15:00   03-02    cafe + moedor      0    0    250    card    50 refunded
/// RPT-4  caio  cancelled           2026-03-02 16:00   03-02    1 x cafe           0    0    50     Pix
/// RPT-5  caio  pending             2026-03-03 10:00   03-03    1 x cafe           0    0    50     Pix
/// RPT-0  bia   paid                2026-02-20 12:00   02-20    1 x cafe           10   0    60     Pix     (before the range)
/// </code>
/// Carts: caio's line created and last touched 2026-03-02 (abandoned); an anonymous cart of two
/// lines created 2026-03-03 and touched now. Inventory: cafe 5 available, 1 reserved, 3 sold,
/// reorder point 5, cost 20 (product); moedor 10/0/2, reorder point 2, cost 110 (inventory row).
/// </summary>
internal static class ReportDataSet
{
    public static Task InsertAsync(TestDatabase database) => database.ExecuteAsync("""
        insert into categories (name, slug) values ('Cafés Teste', 'cafes-teste'), ('Moedores Teste', 'moedores-teste');
        insert into products (name, slug, sku, price, cost_price, category_id)
        values ('Café Teste', 'cafe-teste', 'RPT-CAFE', 50, 20, (select id from categories where slug = 'cafes-teste')),
               ('Moedor Teste', 'moedor-teste', 'RPT-MOEDOR', 200, 120, (select id from categories where slug = 'moedores-teste'));
        insert into users (email, first_name, last_name) values
            ('ana@example.com.br', 'Ana', 'Souza'), ('bia@example.com.br', 'Bia', 'Lima'), ('caio@example.com.br', 'Caio', 'Reis');
        insert into customers (user_id) select id from users where email in ('ana@example.com.br', 'bia@example.com.br', 'caio@example.com.br');

        create temp table t_orders (num text, email text, status text, created timestamptz, subtotal numeric, ship numeric, disc numeric, method text, paid boolean);
        insert into t_orders values
            ('RPT-1', 'ana@example.com.br',  'paid',               '2026-03-01 12:00+00', 100, 10, 0,  'Pix', true),
            ('RPT-2', 'bia@example.com.br',  'delivered',          '2026-03-02 02:00+00', 200, 0,  20, 'Cartão de crédito', true),
            ('RPT-3', 'ana@example.com.br',  'partially_refunded', '2026-03-02 15:00+00', 250, 0,  0,  'Cartão de crédito', true),
            ('RPT-4', 'caio@example.com.br', 'cancelled',          '2026-03-02 16:00+00', 50,  0,  0,  'Pix', false),
            ('RPT-5', 'caio@example.com.br', 'pending',            '2026-03-03 10:00+00', 50,  0,  0,  'Pix', false),
            ('RPT-0', 'bia@example.com.br',  'paid',               '2026-02-20 12:00+00', 50,  10, 0,  'Pix', true);
        insert into orders (order_number, user_id, status, subtotal, shipping_amount, discount_amount, total_amount,
                            created_at, paid_at, delivered_at, shipped_at, payment_method_id)
        select t.num, u.id, t.status, t.subtotal, t.ship, t.disc, t.subtotal + t.ship - t.disc, t.created,
               case when t.paid then t.created + interval '5 minutes' end,
               case when t.status = 'delivered' then t.created + interval '3 days' end,
               case when t.status = 'delivered' then t.created + interval '1 day' end,
               pm.id
        from t_orders t join users u on u.email = t.email join payment_methods pm on pm.name = t.method;

        insert into order_items (order_id, product_id, quantity, unit_price, total_price)
        select o.id, p.id, l.qty, p.price, p.price * l.qty
        from (values ('RPT-1', 'RPT-CAFE', 2), ('RPT-2', 'RPT-MOEDOR', 1), ('RPT-3', 'RPT-CAFE', 1), ('RPT-3', 'RPT-MOEDOR', 1),
                     ('RPT-4', 'RPT-CAFE', 1), ('RPT-5', 'RPT-CAFE', 1), ('RPT-0', 'RPT-CAFE', 1)) l(num, sku, qty)
        join orders o on o.order_number = l.num join products p on p.sku = l.sku;

        insert into payments (order_id, payment_method_id, status, amount, processed_at)
        select o.id, o.payment_method_id, 'captured', o.total_amount, o.paid_at from orders o where o.paid_at is not null;
        insert into payment_refunds (payment_id, amount, reason, status)
        select p.id, 50, 'return', 'succeeded' from payments p join orders o on o.id = p.order_id where o.order_number = 'RPT-3';

        insert into coupons (code, type, value) values ('TESTE20', 'fixed_amount', 20);
        insert into coupon_usage (coupon_id, order_id, user_id, discount_amount, used_at)
        select c.id, o.id, o.user_id, 20, o.created_at from coupons c, orders o where c.code = 'TESTE20' and o.order_number = 'RPT-2';

        insert into shopping_cart (user_id, product_id, quantity, created_at, updated_at)
        select u.id, p.id, 1, '2026-03-02 12:00+00', '2026-03-02 12:00+00'
        from users u, products p where u.email = 'caio@example.com.br' and p.sku = 'RPT-CAFE';
        insert into shopping_cart (session_id, product_id, quantity, created_at)
        select 'anon-1', p.id, 1, '2026-03-03 12:00+00' from products p where p.sku in ('RPT-CAFE', 'RPT-MOEDOR');

        insert into inventory (product_id, quantity_available, quantity_reserved, quantity_sold, reorder_point, cost_price, location)
        select p.id, v.available, v.reserved, v.sold, v.reorder, v.cost, 'CD-SP'
        from (values ('RPT-CAFE', 5, 1, 3, 5, null::numeric), ('RPT-MOEDOR', 10, 0, 2, 2, 110)) v(sku, available, reserved, sold, reorder, cost)
        join products p on p.sku = v.sku;
        """);
}
