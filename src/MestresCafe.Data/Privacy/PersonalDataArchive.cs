using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MestresCafe.Data.Reporting;

namespace MestresCafe.Data.Privacy;

/// <summary>An export's two forms: one JSON document, and a zip holding it beside one CSV per section.</summary>
public static class PersonalDataArchive
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public static byte[] Document(long userId, DateTimeOffset generatedAt, IReadOnlyList<(string Section, ReportTable Table)> sections) =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            userId,
            generatedAt,
            sections = sections.ToDictionary(s => s.Section, s => s.Table.AsObjects().ToList()),
        }, Json);

    public static byte[] Zip(byte[] document, IReadOnlyList<(string Section, ReportTable Table)> sections)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "dados-pessoais.json", document);
            foreach (var (section, table) in sections)
            {
                Add(zip, section + ".csv", Encoding.UTF8.GetBytes(ReportCsv.Write(table)));
            }
        }

        return buffer.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        entry.Write(content);
    }
}
