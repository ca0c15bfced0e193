using MestresCafe.Data.Customers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MestresCafe.Api.Customers;

public static class CustomersHostingExtensions
{
    /// <summary>Customer records, address books, groups and the 360° overview: their stores and queries.</summary>
    public static IHostApplicationBuilder AddMestresCustomers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CustomerStore>();
        builder.Services.AddSingleton<CustomerAddressStore>();
        builder.Services.AddSingleton<CustomerGroupStore>();
        builder.Services.AddSingleton<CustomerOverviewQuery>();
        builder.Services.TryAddSingleton<CreditAccountStore>();
        builder.Services.AddSingleton<InvoiceQuery>();
        return builder;
    }

    /// <summary>The buyer's own record and address book, and the back office's customers.</summary>
    public static RouteGroupBuilder MapCustomersApi(this RouteGroupBuilder api)
    {
        api.MapMyCustomerApi();
        api.MapCustomersAdminApi();
        api.MapCustomerGroupsAdminApi();
        api.MapCreditApi();
        return api;
    }
}
