using System.Diagnostics.Metrics;

namespace MestresCafe.Api.Mail;

/// <summary>
/// What the mail sender did with each message it claimed, under the meter <c>MestresCafe.Mail</c>;
/// the queue's depth is a gauge read from outbound_messages (OperationsGauges in the server).
/// </summary>
public static class MailMetrics
{
    public const string MeterName = "MestresCafe.Mail";
    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Messages = Meter.CreateCounter<long>(
        "mestrescafe.mail.messages", unit: "{message}", description: "Messages handled by the mail sender, tagged result = sent, retry or failed.");

    public static void Sent() => Messages.Add(1, new KeyValuePair<string, object?>("result", "sent"));

    public static void Retried() => Messages.Add(1, new KeyValuePair<string, object?>("result", "retry"));

    public static void Failed() => Messages.Add(1, new KeyValuePair<string, object?>("result", "failed"));
}
