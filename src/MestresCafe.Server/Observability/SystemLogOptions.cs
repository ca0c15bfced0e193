using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Server.Observability;

/// <summary>What is copied into system_logs and how the copy is bounded.</summary>
public sealed class SystemLogOptions
{
    public const string Section = "SystemLogs";

    /// <summary>Entries from this level up are stored (warnings and errors by default).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Warning;

    /// <summary>Entries waiting for the writer at most; beyond it new ones are dropped and counted.</summary>
    [Range(10, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Rows per insert at most.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;
}
