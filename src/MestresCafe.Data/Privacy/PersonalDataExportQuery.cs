using System.Text.Json;
using MestresCafe.Data.Reporting;
using Npgsql;

namespace MestresCafe.Data.Privacy;

/// <summary>
/// Every personal datum the store holds about one customer, section by section (docs/LGPD.md
/// lists the places; this reads each of them). Secrets (password and token hashes) are not
/// personal data the customer gave and are left out. A section is a <see cref="ReportTable"/>, so
/// the CSV writer of the reports serves the zip.
/// </summary>
public sealed class PersonalDataExportQuery(NpgsqlDataSource dataSource)
{
    // @u is the user id; @e their e-mail; @c their customer id (null without a customer row).
    private static readonly (string Section, string Sql)[] Sections =
    [
        ("account", "select id, email, username, first_name, last_name, phone, avatar_url, bio, preferences, language, timezone, is_active, created_at, updated_at, last_login from users where id = @u"),
        ("customer", "select customer_number, customer_type, company_name, tax_id, state_registration, billing_address, shipping_address, credit_limit, current_balance, payment_terms, birth_date, is_active, created_at from customers where user_id = @u"),
        ("addresses", "select a.label, a.recipient_name, a.street, a.number, a.complement, a.district, a.city, a.state, a.postal_code, a.phone, a.is_default_billing, a.is_default_shipping, a.created_at from customer_addresses a where a.customer_id = @c order by a.id"),
        ("orders", "select order_number, status, subtotal, discount_amount, shipping_amount, tax_amount, total_amount, currency, shipping_method, shipping_address, billing_address, tracking_number, notes, created_at, paid_at, shipped_at, delivered_at, cancelled_at from orders where user_id = @u order by created_at"),
        ("order_items", "select o.order_number, i.product_data, i.quantity, i.unit_price, i.total_price from order_items i join orders o on o.id = i.order_id where o.user_id = @u order by o.created_at, i.id"),
        ("payments", "select o.order_number, p.status, p.amount, p.currency, p.created_at, p.processed_at from payments p join orders o on o.id = p.order_id where o.user_id = @u order by p.created_at"),
        ("returns", "select o.order_number, r.reason, r.status, r.quantity, r.refund_amount, r.notes, r.requested_at, r.processed_at from returns r join orders o on o.id = r.order_id where o.user_id = @u order by r.requested_at"),
        ("reviews", "select p.slug as product, r.rating, r.title, r.content, r.is_approved, r.created_at from product_reviews r join products p on p.id = r.product_id where r.user_id = @u order by r.created_at"),
        ("wishlist", "select p.slug as product, w.created_at from wishlist w join products p on p.id = w.product_id where w.user_id = @u order by w.created_at"),
        ("cart", "select p.slug as product, c.quantity, c.created_at from shopping_cart c join products p on p.id = c.product_id where c.user_id = @u"),
        ("loyalty", "select l.points_balance, l.points_earned, l.points_redeemed, l.tier_level, l.joined_at, l.last_activity from customer_loyalty l where l.customer_id = @c"),
        ("loyalty_transactions", "select t.transaction_type, t.points_change, t.reason, t.created_at from loyalty_transactions t join customer_loyalty l on l.id = t.customer_loyalty_id where l.customer_id = @c order by t.created_at"),
        ("course_enrollments", "select c.title as course, e.price_paid, e.enrolled_at, e.completed_at, e.progress_percentage from course_enrollments e join courses c on c.id = e.course_id where e.user_id = @u"),
        ("sessions", "select created_at, last_used, expires_at, ip_address, user_agent, is_active, revoked_at, revoked_reason from user_sessions where user_id = @u order by created_at"),
        ("login_attempts", "select attempted_at, success, failure_reason, ip_address, user_agent from login_attempts where email = @e order by attempted_at"),
        ("consents", "select purpose, granted, source, recorded_at, ip_address, user_agent from marketing_consents where user_id = @u order by recorded_at, id"),
        ("newsletter", "select email, status, source, subscribed_at, unsubscribed_at, unsubscribe_reason, preferences from newsletter_subscriptions where email = @e"),
        ("campaigns_received", "select c.name as campaign, r.email, r.status, r.sent_at, r.opened_at, r.clicked_at from campaign_recipients r join campaigns c on c.id = r.campaign_id where r.customer_id = @c or r.email = @e"),
        ("notifications", "select type, title, content, is_read, created_at, read_at from notifications where user_id = @u order by created_at"),
        ("emails_sent", "select template, recipient, subject, status, created_at, sent_at from outbound_messages where user_id = @u or recipient = @e order by created_at"),
        ("communications", "select type, channel, direction, subject, content, sent_at, created_at from customer_communications where customer_id = @c order by created_at"),
        ("leads", "select first_name, last_name, email, phone, company, source, status, created_at from leads where email = @e"),
    ];

    /// <summary>The sections in a fixed order (empty ones included, so the export shows where it looked); null when the user does not exist.</summary>
    public async Task<IReadOnlyList<(string Section, ReportTable Table)>?> CollectAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        string? email = null;
        long? customerId = null;
        await using (var who = new NpgsqlCommand("select u.email, c.id from users u left join customers c on c.user_id = u.id where u.id = $1", connection, transaction))
        {
            who.Parameters.Add(new NpgsqlParameter { Value = userId });
            await using var reader = await who.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            email = reader.GetString(0);
            customerId = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        }

        var sections = new List<(string, ReportTable)>(Sections.Length);
        foreach (var (section, sql) in Sections)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter("u", userId));
            command.Parameters.Add(new NpgsqlParameter("e", email));
            command.Parameters.Add(new NpgsqlParameter("c", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)customerId ?? DBNull.Value });
            sections.Add((section, await ReadAsync(command, cancellationToken)));
        }

        await transaction.CommitAsync(cancellationToken);
        return sections;
    }

    // Generic table code, as the reports' reader: any column of any section. JSON stays JSON and an
    // address is its text, so the document serializes and the CSV shows what the table holds.
    private static async Task<ReportTable> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var json = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetDataTypeName(i) is "jsonb" or "json").ToArray();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null
                    : json[i] ? JsonSerializer.Deserialize<JsonElement>(reader.GetString(i))
                    : reader.GetValue(i) is System.Net.IPAddress ip ? ip.ToString()
                    : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new ReportTable(columns, rows);
    }
}
