using System.Globalization;

namespace MestresCafe.LoadTest.Cost;

/// <summary>
/// CPU times of local processes from /proc/&lt;pid&gt;/stat (Linux). Times are in clock ticks of
/// 10 ms (USER_HZ is 100 on every Linux architecture .NET runs on), so each reading is exact to
/// 10 ms per process.
/// </summary>
public sealed record ProcStat(int Pid, int ParentPid, long StartTime, double UserSystemMs, double ReapedChildrenMs)
{
    private const double MsPerTick = 10;

    public static bool Available => File.Exists("/proc/self/stat");

    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(pid, File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (IOException)
        {
            return null; // exited between the listing and the read
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Fields after the command name (which may hold spaces and parentheses): state, ppid, ... utime (14), stime, cutime, cstime, ... starttime (22).</summary>
    public static ProcStat Parse(int pid, string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcStat(pid, (int)Field(4), Field(22), (Field(14) + Field(15)) * MsPerTick, (Field(16) + Field(17)) * MsPerTick);
    }

    public static IEnumerable<ProcStat> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Read(pid) : null)
            .OfType<ProcStat>();

    /// <summary>Every process below <paramref name="root"/> in the tree, from one listing.</summary>
    public static List<ProcStat> Descendants(IReadOnlyCollection<ProcStat> all, int root)
    {
        var children = all.ToLookup(p => p.ParentPid);
        var found = new List<ProcStat>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out var parent))
        {
            foreach (var child in children[parent])
            {
                found.Add(child);
                pending.Push(child.Pid);
            }
        }

        return found;
    }

    /// <summary>The process title PostgreSQL sets on a backend: "postgres: user database host(port) state".</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
