using MestresCafe.Grains.Orders;
using MestresCafe.Orders;

namespace MestresCafe.Grains.Tests.Orders;

/// <summary>LGPD erasure of an order: the address keeps the tax fields only, once.</summary>
public sealed class OrderErasureTests
{
    private readonly OrderTestBed _bed = new();

    [Fact]
    public void Erasure_keeps_city_and_state_and_drops_everything_that_names_the_person()
    {
        var order = _bed.Paid();

        Assert.True(order.ErasePersonalData());

        var address = order.Snapshot().ShippingAddress;
        Assert.Equal(new Address("", "", "", null, "", "Poços de Caldas", "MG", "", null), address);
        Assert.Equal(OrderStatus.Paid, order.Snapshot().Status);
    }

    [Fact]
    public void Erasing_twice_changes_nothing_the_second_time()
    {
        var order = _bed.Paid();
        order.ErasePersonalData();

        Assert.False(order.ErasePersonalData());
    }
}
