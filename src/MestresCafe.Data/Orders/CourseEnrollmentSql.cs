using Npgsql;
using static MestresCafe.Data.SqlCommands;

namespace MestresCafe.Data.Orders;

/// <summary>
/// Enrolments sold by an order, written in the order projection's transaction: the order's paid
/// event enrols its buyer in the course of each item that sells one; a full refund or a cancellation
/// after payment takes those enrolments back. The enrolment is unique per course and buyer, so a
/// replayed outbox or a retried webhook enrols nobody twice; a course bought again after a refund is
/// given back (progress kept).
/// </summary>
public static class CourseEnrollmentSql
{
    public static NpgsqlBatchCommand Grant(string orderNumber, long userId) => Batched(
        """
        insert into course_enrollments (course_id, user_id, price_paid, order_id)
        select c.id, $2, max(oi.unit_price), o.id
        from orders o
        join order_items oi on oi.order_id = o.id
        join courses c on c.product_id = oi.product_id
        where o.order_number = $1
        group by c.id, o.id
        on conflict (course_id, user_id) do update
            set is_active = true, access_revoked_at = null, order_id = excluded.order_id, price_paid = excluded.price_paid
            where not course_enrollments.is_active
        """,
        orderNumber, userId);

    public static NpgsqlBatchCommand Revoke(string orderNumber) => Batched(
        """
        update course_enrollments e set is_active = false, access_revoked_at = now()
        from orders o where o.order_number = $1 and e.order_id = o.id and e.is_active
        """,
        orderNumber);
}
