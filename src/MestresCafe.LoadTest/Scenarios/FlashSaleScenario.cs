using System.Diagnostics;
using System.Net;
using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Invariants;
using MestresCafe.LoadTest.Metrics;

namespace MestresCafe.LoadTest.Scenarios;

/// <summary>
/// Many buyers race over HTTP for a few SKUs with little stock: each puts one unit in the cart and
/// checks out (which reserves). A failed call is retried with the same Idempotency-Key on the next
/// server, as a real client would, so a killed server must not turn a retry into a second order.
/// A fault scenario passes <see cref="Settings.MidRunFault"/>, run a third of the way in.
/// </summary>
public static class FlashSaleScenario
{
    public sealed record Settings(int Buyers, int Skus, int StockPerSku, Bounds Bounds, Func<LoadCluster, Task>? MidRunFault = null);

    public static async Task<ScenarioResult> RunAsync(LoadCluster cluster, Settings settings, TextWriter? progress)
    {
        var prefix = "FLASH-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-";
        var skus = Enumerable.Range(0, settings.Skus).Select(i => prefix + i).ToArray();
        var ledger = new RunLedger();
        foreach (var sku in skus)
        {
            await Seeding.InsertItemAsync(cluster.Db, sku, settings.StockPerSku);
            ledger.InitialStock[sku] = settings.StockPerSku;
        }

        var tokens = await Seeding.InsertBuyersAsync(cluster.Db, settings.Buyers);
        var clients = cluster.HttpClients();
        var metrics = new RunMetrics("flash-sale", progress);
        var cart = metrics.Operation("cart-add");
        var checkout = metrics.Operation("checkout");
        using var progressStop = new CancellationTokenSource();
        var reporter = metrics.ReportProgressAsync(progressStop.Token);
        long next = -1;
        long faultAt = 0;
        long lastErrorAt = 0;
        var fault = settings.MidRunFault is null ? Task.CompletedTask : Task.Run(async () =>
        {
            // A third of the way in, by buyers or by time, whichever comes first: a short run still
            // has traffic in flight when the fault hits.
            var third = Stopwatch.StartNew();
            while (Interlocked.Read(ref next) < settings.Buyers / 3 && third.Elapsed < settings.Bounds.Duration / 3)
            {
                await Task.Delay(5);
            }

            Interlocked.Exchange(ref faultAt, Stopwatch.GetTimestamp());
            await settings.MidRunFault(cluster);
        });

        await Workload.RunAsync(settings.Bounds with { MaxOperations = settings.Buyers }, async (worker, stop) =>
        {
            var buyer = (int)Interlocked.Increment(ref next);
            var token = tokens[buyer];
            var sku = skus[buyer % skus.Length];
            var key = Guid.NewGuid().ToString("N");
            // A client keeps retrying through an outage (a restarting database takes seconds).
            for (var attempt = 0; attempt < 150 && !stop.IsCancellationRequested; attempt++)
            {
                var http = clients[(buyer + attempt) % clients.Length];
                var start = Stopwatch.GetTimestamp();
                var step = cart;
                try
                {
                    var added = await StoreClient.AddToCartAsync(http, token, sku, 1, stop);
                    cart.Record(start, added is HttpStatusCode.OK or HttpStatusCode.Created ? Outcome.Ok : added == HttpStatusCode.Conflict ? Outcome.Rejected : Outcome.Error);
                    if (added == HttpStatusCode.Conflict)
                    {
                        return; // sold out as far as the cart can tell
                    }

                    if ((int)added >= 500)
                    {
                        throw new HttpRequestException($"cart {added}");
                    }

                    step = checkout;
                    start = Stopwatch.GetTimestamp();
                    var (status, order) = await StoreClient.CheckoutAsync(http, token, key, "pix", null, stop);
                    if (status == HttpStatusCode.Created)
                    {
                        ledger.AcknowledgedOrder(order!, [(sku, 1)]);
                        checkout.Record(start, Outcome.Ok);
                        return;
                    }

                    if ((int)status < 500)
                    {
                        checkout.Record(start, Outcome.Rejected);
                        return;
                    }

                    throw new HttpRequestException($"checkout {status}");
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return; // the run's time is up; the call in flight is neither acknowledged nor an error
                }
                catch (Exception)
                {
                    if (step == checkout)
                    {
                        checkout.Record(start, Outcome.Error);
                    }
                    else
                    {
                        cart.Record(start, Outcome.Error);
                    }

                    Interlocked.Exchange(ref lastErrorAt, Stopwatch.GetTimestamp());
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        });
        await fault;
        metrics.Stop();
        await progressStop.CancelAsync();
        await reporter;

        var history = await new InvariantReader(cluster.Db, cluster.Grains).ReadAsync(ledger, TimeSpan.FromSeconds(30));
        var summary = InvariantChecker.Check(history);
        if (faultAt != 0)
        {
            var recovery = lastErrorAt > faultAt ? Stopwatch.GetElapsedTime(faultAt, lastErrorAt) : TimeSpan.Zero;
            summary = summary with { Notes = [.. summary.Notes, $"fault injected; last client error {recovery.TotalMilliseconds:0} ms after it"] };
        }

        return metrics.Finish(new Dictionary<string, string>
        {
            ["buyers"] = settings.Buyers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["skus"] = settings.Skus.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["stockPerSku"] = settings.StockPerSku.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["concurrency"] = settings.Bounds.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["servers"] = cluster.Endpoints.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fault"] = settings.MidRunFault is null ? "none" : "yes",
        }, summary);
    }
}
