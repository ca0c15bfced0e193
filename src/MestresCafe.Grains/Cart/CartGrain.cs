using MestresCafe.Cart;
using MestresCafe.Data.Pricing;
using MestresCafe.Grains.Projections;
using MestresCafe.Inventory;
using Microsoft.Extensions.Logging;

namespace MestresCafe.Grains.Cart;

/// <summary>
/// A cart: every change is serialized here and persisted before it is acknowledged (checkout's
/// clear alone is written just after: see <see cref="ClearForOrderAsync"/>); the shopping_cart rows
/// of its owner are then rewritten from the state (the latest version wins).
/// </summary>
public sealed class CartGrain(
    [PersistentState("cart", StorageNames.Store)] IPersistentState<CartState> state,
    RecentCatalogPrices prices,
    CartProjection projection,
    ILogger<CartGrain> logger) : Grain, ICartGrain
{
    private OutboxPump<CartVersion> _pump = null!;
    /// <summary>Checkout's clear being written; every change waits for it, so writes stay in order.</summary>
    private Task _clearing = Task.CompletedTask;

    private List<CartLine> Lines => state.State.Lines;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _pump = new OutboxPump<CartVersion>(
            this, Outbox.For(projection, this.GetPrimaryKeyString(), () => state.State, Unprojected, p => state.State.ProjectedVersion = p[^1].Version), logger);
        if (state.State.ProjectedVersion < state.State.Version)
        {
            _pump.Schedule();
        }

        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _clearing;

    public Task<CartSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<CartUpdateResult> AddAsync(string sku, int quantity)
    {
        var current = Lines.FirstOrDefault(l => l.Sku == sku)?.Quantity ?? 0;
        return quantity <= 0
            ? new CartUpdateResult(CartUpdateOutcome.InvalidQuantity, Snapshot(), 0)
            : await SetQuantityAsync(sku, current + quantity);
    }

    public async Task<CartUpdateResult> SetQuantityAsync(string sku, int quantity)
    {
        if (quantity < 0 || quantity > CartKey.MaxQuantityPerLine)
        {
            return new CartUpdateResult(CartUpdateOutcome.InvalidQuantity, Snapshot(), 0);
        }

        if (quantity == 0)
        {
            return new CartUpdateResult(CartUpdateOutcome.Updated, await RemoveAsync(sku), 0);
        }

        var items = await prices.GetAsync([sku]);
        if (!items.TryGetValue(sku, out var item) || !item.IsActive)
        {
            return new CartUpdateResult(CartUpdateOutcome.UnknownItem, Snapshot(), 0);
        }

        var stock = await GrainFactory.GetGrain<IInventoryItemGrain>(InventoryKey.For(sku)).GetAsync();
        var available = stock?.Available ?? 0;
        if (quantity > available)
        {
            return new CartUpdateResult(CartUpdateOutcome.InsufficientStock, Snapshot(), available);
        }

        var line = new CartLine(sku, item.ProductId, item.VariantId, quantity);
        var index = Lines.FindIndex(l => l.Sku == sku);
        if (index >= 0)
        {
            Lines[index] = line;
        }
        else
        {
            Lines.Add(line);
        }

        await PersistAsync();
        return new CartUpdateResult(CartUpdateOutcome.Updated, Snapshot(), available);
    }

    public async Task<CartSnapshot> RemoveAsync(string sku)
    {
        if (Lines.RemoveAll(l => l.Sku == sku) > 0)
        {
            await PersistAsync();
        }

        return Snapshot();
    }

    public async Task<CartSnapshot> ClearAsync()
    {
        if (Lines.Count > 0)
        {
            Lines.Clear();
            await PersistAsync();
        }

        return Snapshot();
    }

    /// <summary>
    /// Off checkout's path: the buyer's answer waits for the placed order's write, not this one.
    /// A change arriving meanwhile waits for it (<see cref="PersistAsync"/>); a read sees the cart
    /// empty at once, which is what it will be once written.
    /// </summary>
    public async Task ClearForOrderAsync(string orderNumber)
    {
        await _clearing;
        if (Lines.Count == 0)
        {
            return;
        }

        Lines.Clear();
        _clearing = WriteClearAsync(orderNumber);
    }

    public async Task<CartSnapshot> MergeFromAsync(string otherCartKey)
    {
        if (!CartKey.CanMerge(otherCartKey, this.GetPrimaryKeyString()))
        {
            // Never one customer's cart into another's, nor into a visitor's: a caller bug, not input.
            throw new InvalidOperationException($"Cart {otherCartKey} cannot be merged into {this.GetPrimaryKeyString()}.");
        }

        var other = GrainFactory.GetGrain<ICartGrain>(otherCartKey);
        var incoming = await other.GetAsync();
        if (incoming.Lines.Count == 0)
        {
            return Snapshot();
        }

        foreach (var line in incoming.Lines)
        {
            // The larger quantity wins: the visitor added it again on purpose, or already had it.
            var index = Lines.FindIndex(l => l.Sku == line.Sku);
            if (index < 0)
            {
                Lines.Add(line);
            }
            else if (line.Quantity > Lines[index].Quantity)
            {
                Lines[index] = line;
            }
        }

        await PersistAsync();
        await other.ClearAsync();
        return Snapshot();
    }

    private CartSnapshot Snapshot() => new(Lines.ToList(), state.State.Version);

    private async Task WriteClearAsync(string orderNumber)
    {
        try
        {
            await WriteAsync();
        }
        catch (Exception error)
        {
            // The activation is already going (WriteOrDeactivateAsync): the next one reads the lines back.
            logger.LogWarning(error, "Cart {Cart} not cleared after order {Order}", this.GetPrimaryKeyString(), orderNumber);
        }
    }

    /// <summary>Writes a change after checkout's clear, if one is still being written (the version check needs its ETag).</summary>
    private async Task PersistAsync()
    {
        await _clearing;
        await WriteAsync();
    }

    private async Task WriteAsync()
    {
        state.State.Version++;
        await state.WriteOrDeactivateAsync(_pump, DeactivateOnIdle);
        _pump.Schedule();
    }

    /// <summary>
    /// The cart has no event list: its one pending "event" is the newest unprojected version, which
    /// replaces every row. Nothing while checkout's clear is being written: the pump's turn may come
    /// before that write ends, and a version not yet stored must not reach the rows (the write
    /// schedules the pump once it is stored).
    /// </summary>
    private IReadOnlyList<CartVersion> Unprojected() => state.State.ProjectedVersion >= state.State.Version || !_clearing.IsCompleted
        ? []
        : [new CartVersion(CartVersion.IdOf(this.GetPrimaryKeyString(), state.State.Version), state.State.Version, Lines.ToList())];
}

/// <summary>A cart's lines as of one version, the unit its projection applies (or dead-letters).</summary>
public sealed record CartVersion(Guid EventId, long Version, IReadOnlyList<CartLine> Lines) : IOutboxEvent
{
    /// <summary>The same id for the same cart and version, so that a version is dead-lettered once.</summary>
    public static Guid IdOf(string cartKey, long version) =>
        new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"cart:{cartKey}:{version}")));
}
