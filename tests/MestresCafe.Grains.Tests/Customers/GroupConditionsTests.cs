using System.Text.Json;
using MestresCafe.Customers;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Tests.Customers;

/// <summary>The conditions customer groups put on their members' orders: validated at save, every current group's checked at checkout.</summary>
public sealed class GroupConditionsTests
{
    private static CurrentGroup Group(long id, string conditions, decimal discount = 0m) => new(id, "Grupo " + id, discount, JsonDocument.Parse(conditions).RootElement);

    [Fact]
    public void A_member_below_the_minimum_is_refused_and_one_at_it_passes()
    {
        var groups = new[] { Group(1, """{"minimumOrderAmount": 300, "note": "anotação"}""") };

        var refused = GroupConditions.Check(groups, 299.99m, PaymentMethodKind.Pix);

        Assert.Equal(GroupConditionRefusal.BelowMinimumOrder, refused?.Refusal);
        Assert.Contains("R$ 300.00", refused?.Detail);
        Assert.Null(GroupConditions.Check(groups, 300m, PaymentMethodKind.Pix));
    }

    [Fact]
    public void Every_current_group_holds_the_highest_minimum_and_only_methods_all_restricting_groups_allow()
    {
        var groups = new[]
        {
            Group(1, """{"minimumOrderAmount": 100, "paymentMethods": ["pix", "invoice"]}"""),
            Group(2, """{"minimumOrderAmount": 250, "paymentMethods": ["invoice", "boleto"]}"""),
            Group(3, "{}"),
        };

        Assert.Equal(GroupConditionRefusal.BelowMinimumOrder, GroupConditions.Check(groups, 200m, PaymentMethodKind.Invoice)?.Refusal);
        Assert.Equal(GroupConditionRefusal.PaymentMethodNotAllowed, GroupConditions.Check(groups, 300m, PaymentMethodKind.Pix)?.Refusal);
        Assert.Equal(GroupConditionRefusal.PaymentMethodNotAllowed, GroupConditions.Check(groups, 300m, PaymentMethodKind.Boleto)?.Refusal);
        Assert.Null(GroupConditions.Check(groups, 300m, PaymentMethodKind.Invoice));
        Assert.Null(GroupConditions.Check([], 1m, PaymentMethodKind.CreditCard));
    }

    [Theory]
    [InlineData("""{"note": "livre"}""", null)]
    [InlineData("""{"minimumOrderAmount": 0, "paymentMethods": ["credit_card"]}""", null)]
    [InlineData("""{"minimumOrderAmount": -1}""", "conditions.minimumOrderAmount")]
    [InlineData("""{"minimumOrderAmount": 10.005}""", "conditions.minimumOrderAmount")]
    [InlineData("""{"minimumOrderAmount": "300"}""", "conditions.minimumOrderAmount")]
    [InlineData("""{"paymentMethods": []}""", "conditions.paymentMethods")]
    [InlineData("""{"paymentMethods": ["pix", "cheque"]}""", "conditions.paymentMethods")]
    [InlineData("""{"paymentMethods": "pix"}""", "conditions.paymentMethods")]
    public void Only_the_enforced_keys_are_validated_and_other_keys_are_kept_as_notes(string conditions, string? errorKey)
    {
        var errors = GroupConditions.Validate(JsonDocument.Parse(conditions).RootElement);

        Assert.Equal(errorKey, errors?.Keys.Single());
    }
}
