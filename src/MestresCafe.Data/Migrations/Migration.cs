using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MestresCafe.Data.Migrations;

/// <summary>One numbered SQL file: <c>NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string FileName, string Sql, string Checksum)
{
    /// <summary>
    /// Line endings are normalised before hashing so that a checkout with CRLF endings does not
    /// look like an edited migration.
    /// </summary>
    public static string ComputeChecksum(string sql)
    {
        var normalised = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
    }
}

/// <summary>The migrations of one folder, ordered by version.</summary>
public sealed partial class MigrationSet
{
    private MigrationSet(IReadOnlyList<Migration> items) => Items = items;

    public IReadOnlyList<Migration> Items { get; }

    /// <summary>Reads every <c>NNNN_name.sql</c> file of a folder; other files are ignored.</summary>
    public static MigrationSet FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Migration folder not found: {directory}");
        }

        var items = new List<Migration>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.sql"))
        {
            var fileName = Path.GetFileName(path);
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                continue;
            }

            var sql = File.ReadAllText(path);
            items.Add(new Migration(
                int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                fileName,
                sql,
                Migration.ComputeChecksum(sql)));
        }

        var duplicate = items.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.FileName))}");
        }

        return new MigrationSet(items.OrderBy(m => m.Version).ToList());
    }

    /// <summary>The <c>sql/migrations</c> folder copied beside the binaries.</summary>
    public static MigrationSet Default() =>
        FromDirectory(Path.Combine(AppContext.BaseDirectory, "sql", "migrations"));

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}

/// <summary>An applied migration's file no longer matches the checksum recorded when it ran.</summary>
public sealed class MigrationChecksumMismatchException(IReadOnlyList<string> files)
    : Exception($"Applied migrations were changed after they ran: {string.Join(", ", files)}. Add a new migration instead of editing an applied one.")
{
    public IReadOnlyList<string> Files { get; } = files;
}

/// <summary>A migration's SQL failed; its transaction was rolled back and nothing of it remains.</summary>
public sealed class MigrationFailedException(string file, Exception inner)
    : Exception($"Migration {file} failed: {inner.Message}", inner)
{
    public string File { get; } = file;
}
