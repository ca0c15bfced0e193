namespace MestresCafe.Testing;

/// <summary>
/// Waits for what another actor makes true after the call under test returned (a projection, a
/// timer, a cache backplane, a server coming back): polls the condition until it holds or the
/// deadline passes. The caller asserts the result, so a condition that never holds fails the test.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// True as soon as <paramref name="condition"/> holds; false if it still does not after
    /// <paramref name="within"/> (15 s by default). Polls every 50 ms unless <paramref name="every"/>
    /// says otherwise (a condition that places an order, say, should not run twenty times a second).
    /// </summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWithin);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(every ?? DefaultEvery);
        }

        return await condition();
    }
}
