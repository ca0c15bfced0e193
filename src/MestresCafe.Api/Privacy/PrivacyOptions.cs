using System.ComponentModel.DataAnnotations;

namespace MestresCafe.Api.Privacy;

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>How long a built export waits for its one download before its content is removed.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan ExportLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each server looks for exports to build or expire besides being woken by a request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ExportSweepEvery { get; set; } = TimeSpan.FromMinutes(1);
}
