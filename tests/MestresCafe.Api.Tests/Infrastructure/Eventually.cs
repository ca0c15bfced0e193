namespace MestresCafe.Api.Tests.Infrastructure;

/// <summary>Waits for what the server does after answering (projections, caches of a few seconds, streams).</summary>
internal static class Eventually
{
    /// <summary>Polls the condition for up to 15 s; true as soon as it holds.</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return await condition();
    }
}
