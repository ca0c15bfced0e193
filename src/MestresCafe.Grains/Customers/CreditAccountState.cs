using MestresCafe.Customers;
using MestresCafe.Grains.Projections;

namespace MestresCafe.Grains.Customers;

[GenerateSerializer, Alias("mc.CreditAccountState")]
public sealed class CreditAccountState
{
    /// <summary>The invoiced orders not yet paid nor cancelled, by order number: the account's exposure.</summary>
    [Id(0)] public Dictionary<string, OpenInvoice> OpenInvoices { get; set; } = [];
    [Id(1)] public long Version { get; set; }
    [Id(2)] public List<CreditEvent> Outbox { get; set; } = [];
}

/// <summary>A change of the account's exposure, projected as its balance.</summary>
[GenerateSerializer, Alias("mc.CreditEvent")]
public sealed record CreditEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset OccurredAt,
    [property: Id(2)] string OrderNumber,
    [property: Id(3)] decimal Amount,
    [property: Id(4)] CreditRelease? Released) : IOutboxEvent;
