using System.Diagnostics;
using System.Net;
using MestresCafe.LoadTest.Cost;
using MestresCafe.LoadTest.Harness;
using MestresCafe.LoadTest.Invariants;
using MestresCafe.LoadTest.Metrics;
using MestresCafe.Testing;

namespace MestresCafe.LoadTest.Scenarios;

/// <summary>
/// Ordinary trading: each worker is one signed-in buyer who fills a cart of 1 to 5 lines drawn from
/// a Zipf-distributed catalog, sometimes with a limited coupon (and without it when the coupon is
/// refused), and checks out by card; the servers are started with the simulated gateway confirming
/// by signed webhook, so orders go on to paid.
/// </summary>
public static class CheckoutMixScenario
{
    public const string Coupon = "CARGA10";

    public static async Task<ScenarioResult> RunAsync(LoadCluster cluster, int catalogSize, Bounds bounds, TextWriter? progress)
    {
        var prefix = "MIX-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant() + "-";
        var skus = Enumerable.Range(0, catalogSize).Select(i => prefix + i).ToArray();
        var ledger = new RunLedger { PaymentsConfirm = true };
        foreach (var sku in skus)
        {
            await Seeding.InsertItemAsync(cluster.Db, sku, 1_000_000);
            ledger.InitialStock[sku] = 1_000_000;
        }

        await Seeding.InsertLoyaltyProgramAsync(cluster.Db);
        var coupon = Coupon + Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        await Seeding.InsertCouponAsync(cluster.Db, coupon, usageLimit: 50, perCustomerLimit: 1);
        ledger.CouponCodes.Add(coupon);
        var tokens = await Seeding.InsertBuyersAsync(cluster.Db, bounds.Concurrency);
        var clients = cluster.HttpClients();
        var zipf = new Zipf(catalogSize, 1.0);
        var metrics = new RunMetrics("checkout-mix", progress);
        var cartOp = metrics.Operation("cart-add");
        var checkoutOp = metrics.Operation("checkout");
        // From the cart's first request (its due time in an open loop) to the checkout's answer.
        var sessionOp = metrics.Operation("cart-to-order");

        // One buyer's cart and checkout; during the warm-up nothing is recorded but the ledger (its
        // orders are part of the history the invariants check).
        async Task BuyAsync(int worker, long due, bool record, CancellationToken stop)
        {
            var http = clients[worker % clients.Length];
            var token = tokens[worker];
            var random = Random.Shared;
            var lines = Enumerable.Range(0, random.Next(1, 6)).Select(_ => skus[zipf.Sample(random)]).Distinct()
                .Select(sku => (Sku: sku, Quantity: random.Next(1, 3))).ToList();
            try
            {
                var start = due;
                foreach (var (sku, quantity) in lines)
                {
                    var status = await StoreClient.AddToCartAsync(http, token, sku, quantity, stop);
                    if (record)
                    {
                        cartOp.Record(start, status is HttpStatusCode.OK or HttpStatusCode.Created ? Outcome.Ok : Outcome.Error);
                    }

                    start = Stopwatch.GetTimestamp();
                }

                var begin = Stopwatch.GetTimestamp();
                var useCoupon = random.Next(5) == 0 ? coupon : null;
                var (result, order) = await StoreClient.CheckoutAsync(http, token, Guid.NewGuid().ToString("N"), "credit_card", useCoupon, stop);
                if (useCoupon is not null && (int)result is >= 400 and < 500)
                {
                    // The coupon ran out (its 50 uses go within the first seconds): the buyer does what a
                    // shopper does, buys without it. The refused attempt stays in the checkout figures
                    // as rejected and its cost in the cost per completed checkout.
                    if (record)
                    {
                        checkoutOp.Record(begin, Outcome.Rejected);
                    }

                    begin = Stopwatch.GetTimestamp();
                    (result, order) = await StoreClient.CheckoutAsync(http, token, Guid.NewGuid().ToString("N"), "credit_card", null, stop);
                }

                if (result == HttpStatusCode.Created)
                {
                    ledger.AcknowledgedOrder(order!, lines);
                }

                var outcome = result == HttpStatusCode.Created ? Outcome.Ok : (int)result < 500 ? Outcome.Rejected : Outcome.Error;
                if (record)
                {
                    checkoutOp.Record(begin, outcome);
                    sessionOp.Record(due, outcome);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception)
            {
                if (record)
                {
                    checkoutOp.Record(Stopwatch.GetTimestamp(), Outcome.Error);
                }
            }
        }

        if (bounds.Warmup > TimeSpan.Zero)
        {
            progress?.WriteLine($"warming up {bounds.Warmup.TotalSeconds:0} s (closed loop, not measured)");
            await Workload.RunAsync(bounds with { Duration = bounds.Warmup, Rate = null }, (worker, due, stop) => BuyAsync(worker, due, false, stop), finishStarted: true);
            // The warm-up's trailing work (payments confirmed, projections, loyalty, the runtime's
            // background recompilation) would otherwise be taken for the idle servers' background.
            await Task.Delay(bounds.Idle);
        }

        // Before the metrics: the idle measurement is not part of the run's elapsed time.
        await using var cost = await CostProbe.StartAsync(cluster.Postgres, bounds.Idle);
        metrics.Restart();
        using var progressStop = new CancellationTokenSource();
        var reporter = metrics.ReportProgressAsync(progressStop.Token);

        var openLoop = await Workload.RunAsync(bounds, (worker, due, stop) => BuyAsync(worker, due, true, stop), finishStarted: true);
        metrics.Stop();
        await progressStop.CancelAsync();
        await reporter;
        var costs = await cost.FinishAsync("checkout", checkoutOp.Ok, bounds.Settle, progress);

        var history = await new InvariantReader(cluster.Db, cluster.Grains).ReadAsync(ledger, TimeSpan.FromSeconds(30));
        return metrics.Finish(new Dictionary<string, string>
        {
            ["catalog"] = catalogSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["concurrency"] = bounds.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["servers"] = cluster.Endpoints.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["payment"] = "credit_card, confirmed by signed webhook",
        }, InvariantChecker.Check(history)) with { Cost = costs, OpenLoop = openLoop };
    }

    /// <summary>
    /// The simulated gateway of each server confirms every card charge with a signed webhook to
    /// that same server, as a real gateway would call back; the order then goes on to paid.
    /// </summary>
    public static void ConfigureServers(IDictionary<string, string> settings)
    {
        settings["Payments__AutoConfirm"] = "true";
        settings["Payments__WebhookUrl"] = ServerProcess.SelfAddress + "/api/payments/webhooks/simulated";
        settings["Payments__ConfirmationDelay"] = "00:00:00.200";
    }
}
