using Microsoft.Extensions.Options;

namespace MestresCafe.Grains.Projections;

/// <summary>How the outbox pump treats an event the database refuses.</summary>
public sealed class ProjectionOptions
{
    public const string Section = "Projections";

    /// <summary>
    /// Tries of an event refused for good (a CHECK, a bad reference) before it goes to
    /// projection_dead_letters. Ten tries with the pump's back-off take about half a minute: long
    /// enough to ride out a deploy that briefly disagrees with the schema, short enough that the
    /// grain's later events are not held back for long. Outages never count: they retry forever.
    /// </summary>
    public int DeadLetterAfterAttempts { get; set; } = 10;

    /// <summary>
    /// Projection work of many grains shares one transaction (on), or each grain's batch commits in
    /// a transaction of its own (off: the path before sharing, kept so both can be measured). See
    /// <see cref="MestresCafe.Data.Projections.ProjectionTransactions"/>.
    /// </summary>
    public bool ShareTransactions { get; set; } = true;

    /// <summary>
    /// Orders' projections share transactions of their own, in flight beside those of every other
    /// grain (carts, inventory, loyalty, coupons), instead of queueing in one line with them. One
    /// line ran every projection statement of the server on one connection, one after the other:
    /// under the checkout mix it was the serial step that a non-reentrant grain's next call waited
    /// behind (its pump's turn), with a quarter of the CPU idle. The two lines write disjoint rows
    /// but for a new buyer's customers row, whose rare lock cycle ends in the fallback that runs each
    /// piece alone. Off: one line, as before (kept so both can be measured).
    /// </summary>
    public bool SeparateOrderLine { get; set; } = true;

    /// <summary>At most this many grains' batches in one shared transaction.</summary>
    public int MaxPiecesPerTransaction { get; set; } = 64;

    public sealed class Validator : IValidateOptions<ProjectionOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProjectionOptions options) =>
            options switch
            {
                { DeadLetterAfterAttempts: < 1 or > 1000 } => ValidateOptionsResult.Fail($"{Section}:{nameof(DeadLetterAfterAttempts)} must be between 1 and 1000."),
                { MaxPiecesPerTransaction: < 1 or > 10_000 } => ValidateOptionsResult.Fail($"{Section}:{nameof(MaxPiecesPerTransaction)} must be between 1 and 10000."),
                _ => ValidateOptionsResult.Success,
            };
    }
}
