using Orleans.Runtime;

namespace MestresCafe.Grains.Loyalty;

/// <summary>Where loyalty-relevant events travel: one stream per user on the "events" provider.</summary>
public static class LoyaltyStreams
{
    public const string Provider = "events";
    public const string OrderNamespace = "loyalty-orders";

    public static StreamId ForUser(long userId) => StreamId.Create(OrderNamespace, userId);
}
