namespace MestresCafe.Server.DemoData;

public static class DemoDataHostingExtensions
{
    public static WebApplicationBuilder AddDemoData(this WebApplicationBuilder builder) => builder;
}
