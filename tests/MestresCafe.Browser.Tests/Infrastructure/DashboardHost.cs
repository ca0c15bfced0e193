using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MestresCafe.Data.Reporting.Generation;
using MestresCafe.Testing;
using Microsoft.Playwright;

namespace MestresCafe.Browser.Tests.Infrastructure;

/// <summary>
/// The real server as a process on a free loopback port, over a database of its own with the demo
/// store (Demo:Seed, generated passwords in a credentials file of its own) and something to report
/// on: a two-month sales history from the generator, and two orders placed through the API with
/// coupons and paid by the simulated gateway, which earn loyalty points and bring a grinder down to
/// its reorder point. A browser is launched on first use, so that the tests that need none run
/// without it.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    public const string Administrator = "admin@mestres.cafe";
    public const string Manager = "gerente@mestres.cafe";
    public const string Customer = "ana.souza@example.com.br";
    private const string OtherCustomer = "bruno.lima@example.com.br";

    /// <summary>4 of them at R$ 2.490 leave 2 in stock, its reorder point.</summary>
    public const string LowStockSku = "CMD-C40-MK4";

    private readonly string _clusterId = "browser-" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _credentialsFile = Path.Combine(Path.GetTempPath(), $"mc-demo-{Guid.NewGuid():N}.txt");
    private readonly SemaphoreSlim _browserLock = new(1, 1);
    private Dictionary<string, string> _passwords = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public TestDatabase Database { get; private set; } = null!;
    public ServerProcess Server { get; private set; } = null!;
    public Uri BaseAddress => Server.BaseAddress;

    public string PasswordOf(string email) => _passwords[email];

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateMigratedAsync("DashboardBrowser");
        Server = await ServerProcess.StartAsync(Database.ConnectionString, _clusterId, settings: new Dictionary<string, string>
        {
            ["Demo__Seed"] = "true",
            ["Demo__CredentialsFile"] = _credentialsFile,
            ["Redis__KeyPrefix"] = _clusterId + ":",
            // As scripts/run.sh: the simulated gateway confirms payments through this server's webhook.
            ["Payments__AutoConfirm"] = "true",
            ["Payments__WebhookUrl"] = ServerProcess.SelfAddress + "/api/payments/webhooks/simulated",
            ["Payments__ConfirmationDelay"] = "00:00:00.100",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        _passwords = await ReadPasswordsAsync();

        await new SalesHistoryGenerator(Database.DataSource, TextWriter.Null)
            .GenerateAsync(new GenerationPlan(Customers: 30, Orders: 240, Months: 2, Seed: 7));
        await PlacePaidOrderAsync(Customer, LowStockSku, 4, "MESTRES25");
        await PlacePaidOrderAsync(OtherCustomer, "TMR-C3", 1, "FRETEGRATIS");
        await WaitForReadSideAsync();
    }

    public async Task<IBrowser> BrowserAsync()
    {
        await _browserLock.WaitAsync();
        try
        {
            _playwright ??= await Playwright.CreateAsync();
            return _browser ??= await Chromium.LaunchAsync(_playwright);
        }
        finally
        {
            _browserLock.Release();
        }
    }

    /// <summary>A fresh browser context (its own sessionStorage) set to a Brazilian reader.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "pt-BR",
            TimezoneId = "America/Sao_Paulo",
            ViewportSize = new ViewportSize { Width = 1280, Height = 1600 },
        });
        // Generous: on a busy two-core machine the test projects run side by side.
        context.SetDefaultTimeout(45_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        File.Delete(_credentialsFile);
        _browserLock.Dispose();
    }

    private async Task<Dictionary<string, string>> ReadPasswordsAsync()
    {
        // The seeder writes the file as the server starts; the run script prints the same file.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (File.Exists(_credentialsFile))
            {
                var passwords = (await File.ReadAllLinesAsync(_credentialsFile))
                    .Select(line => line.Split(' ', 2))
                    .Where(parts => parts.Length == 2)
                    .ToDictionary(parts => parts[0], parts => parts[1]);
                if (passwords.ContainsKey(Administrator) && passwords.ContainsKey(Manager) && passwords.ContainsKey(Customer) &&
                    await Database.ScalarAsync<long>("select count(*) from users where email = $1 and password_hash is not null", Manager) == 1)
                {
                    return passwords;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The demo credentials were not written to {_credentialsFile}:\n{Server.Output}");
            }

            await Task.Delay(200);
        }
    }

    private async Task PlacePaidOrderAsync(string email, string sku, int quantity, string coupon)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using (var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password = PasswordOf(email) }))
        {
            await EnsureSuccessAsync(login);
            var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using (var cart = await http.PostAsJsonAsync("/api/cart/items", new { sku, quantity }))
        {
            await EnsureSuccessAsync(cart);
        }

        using var checkout = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = JsonContent.Create(new
            {
                shippingAddress = new
                {
                    recipientName = "Cliente Demo", street = "Avenida Paulista", number = "1000", district = "Bela Vista",
                    city = "São Paulo", state = "SP", postalCode = "01310-100",
                },
                paymentMethod = "pix",
                couponCode = coupon,
                shippingMethod = "pac",
            }),
        };
        checkout.Headers.Add("Idempotency-Key", "dashboard-" + Guid.NewGuid().ToString("N"));
        using var order = await http.SendAsync(checkout);
        await EnsureSuccessAsync(order);
    }

    // Payment confirmation, the coupon use, the loyalty account and the stock level reach the
    // relational tables asynchronously; the dashboard reads those tables.
    private async Task WaitForReadSideAsync()
    {
        const string ready = """
            select (select count(*) from coupon_usage cu join orders o on o.id = cu.order_id
                    where o.status = 'paid' and o.idempotency_key like 'dashboard-%') = 2
               and (select count(*) from customer_loyalty l join customers c on c.id = l.customer_id
                    where l.points_balance > 0
                      and c.user_id in (select user_id from orders where idempotency_key like 'dashboard-%')) = 2
               and exists (select 1 from inventory i join products p on p.id = i.product_id
                           where p.sku = $1 and i.quantity_available <= i.reorder_point)
            """;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await Database.ScalarAsync<bool>(ready, LowStockSku))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The demo orders did not reach the read side:\n{Server.Output}");
            }

            await Task.Delay(200);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}"));
        }
    }
}
