namespace MestresCafe.Data.Tests.Schema;

/// <summary>Reads expected-schema.txt: one <c>table: column, column, ...</c> line per table.</summary>
internal static class ExpectedSchema
{
    public static Dictionary<string, string[]> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Schema", "expected-schema.txt");
        return File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(':', 2))
            .ToDictionary(
                parts => parts[0].Trim(),
                parts => parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
