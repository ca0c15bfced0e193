namespace MestresCafe.Crm;

/// <summary>
/// A lead's status flow: new → contacted → qualified → proposal → won, and lost from any open
/// status. Won and lost are final. (The table also allows "negotiation", from the data model; the
/// flow does not use it, so no move leads there.) The list of statuses is the CHECK's list.
/// </summary>
public static class LeadPipeline
{
    public const string New = "new";
    public const string Contacted = "contacted";
    public const string Qualified = "qualified";
    public const string Proposal = "proposal";
    public const string Won = "won";
    public const string Lost = "lost";

    /// <summary>The statuses a lead moves through, in order.</summary>
    public static readonly IReadOnlyList<string> Statuses = [New, Contacted, Qualified, Proposal, Won, Lost];

    /// <summary>Where the flow goes next from each open status.</summary>
    private static readonly Dictionary<string, string> Next = new(StringComparer.Ordinal)
    {
        [New] = Contacted,
        [Contacted] = Qualified,
        [Qualified] = Proposal,
        [Proposal] = Won,
    };

    public static bool IsOpen(string status) => Next.ContainsKey(status);

    /// <summary>Null when the move is allowed, else why not (for the 409's detail).</summary>
    public static string? CheckMove(string from, string to)
    {
        if (!IsOpen(from))
        {
            return $"The lead is {from}: a closed lead does not move.";
        }

        if (to == Lost || Next[from] == to)
        {
            return null;
        }

        return $"From {from} a lead moves to {Next[from]} or {Lost}.";
    }

    /// <summary>Activity kinds a salesperson records; a task needs a due date.</summary>
    public static readonly IReadOnlyList<string> ActivityTypes = ["call", "meeting", "email", "task", "whatsapp", "visit", "tasting", "note"];

    public const string Task = "task";

    /// <summary>Where a lead came from: the CHECK's list.</summary>
    public static readonly IReadOnlyList<string> Sources = ["website", "instagram", "whatsapp", "event", "referral", "marketplace", "cold_outreach", "import", "other"];
}
