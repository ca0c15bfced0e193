namespace MestresCafe.Grains;

/// <summary>Names of the Orleans providers the grains depend on.</summary>
public static class StorageNames
{
    /// <summary>The ADO.NET grain storage in PostgreSQL.</summary>
    public const string Store = "store";
}
