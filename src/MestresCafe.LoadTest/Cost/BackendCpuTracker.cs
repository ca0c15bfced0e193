namespace MestresCafe.LoadTest.Cost;

/// <summary>
/// CPU used by a changing set of processes (PostgreSQL backends come and go with connections),
/// from samples of each one's cumulative CPU time. A process seen at the first sample counts from
/// that sample; one first seen later was born during the run and counts from zero. What a process
/// used after its last sample before it exited is lost: the error is at most one sampling interval
/// of each backend that exits during the run.
/// </summary>
public sealed class BackendCpuTracker
{
    private readonly Dictionary<(int Pid, long StartTime), (double First, double Last)> _processes = [];
    private bool _baselineTaken;

    /// <summary>One sample of every process of the set: pid, its start time (pids are reused) and cumulative CPU ms.</summary>
    public void Observe(IEnumerable<(int Pid, long StartTime, double CpuMs)> sample)
    {
        lock (_processes)
        {
            foreach (var (pid, startTime, cpuMs) in sample)
            {
                var key = (pid, startTime);
                _processes[key] = _processes.TryGetValue(key, out var seen)
                    ? (seen.First, Math.Max(seen.Last, cpuMs))
                    : (_baselineTaken ? 0 : cpuMs, cpuMs);
            }

            _baselineTaken = true;
        }
    }

    /// <summary>CPU ms used by the set since the first sample.</summary>
    public double TotalMs
    {
        get
        {
            lock (_processes)
            {
                return _processes.Values.Sum(p => p.Last - p.First);
            }
        }
    }

    public int ProcessesSeen
    {
        get
        {
            lock (_processes)
            {
                return _processes.Count;
            }
        }
    }
}
