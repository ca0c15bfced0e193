namespace MestresCafe.Data.Reporting;

/// <summary>Every report by name: the endpoints, the dashboard and the command line share this list.</summary>
public static class ReportCatalog
{
    public static IReadOnlyList<ReportDefinition> All { get; } =
    [
        SalesReports.ByPeriod, SalesReports.ByPaymentMethod, SalesReports.TopProducts, SalesReports.TopCategories,
        InventoryReports.Summary, InventoryReports.ByItem, InventoryReports.StockAlerts,
        CouponReports.Performance,
        LoyaltyReports.Tiers, LoyaltyReports.Points,
        CustomerReports.NewVsReturning, CustomerReports.LifetimeValue, CustomerReports.Rfm,
        FunnelReports.Funnel,
    ];

    private static readonly Dictionary<string, ReportDefinition> _byName = All.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);

    public static ReportDefinition? Find(string name) => _byName.GetValueOrDefault(name);
}
