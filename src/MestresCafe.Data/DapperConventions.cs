using System.Runtime.CompilerServices;

namespace MestresCafe.Data;

/// <summary>
/// Dapper's process-wide settings, applied once when this assembly loads so that no query class
/// can run before them: snake_case columns (<c>order_number</c>) fill PascalCase members
/// (<c>OrderNumber</c>) without an alias in every select list; an <see cref="System.Net.IPAddress"/>
/// is an inet parameter.
/// </summary>
internal static class DapperConventions
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A library-wide mapping setting must precede the first query, whichever host loads Data.")]
    internal static void Apply()
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        Dapper.SqlMapper.AddTypeHandler(new InetTypeHandler());
    }
}
