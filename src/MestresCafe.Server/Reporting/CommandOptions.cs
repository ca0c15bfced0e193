namespace MestresCafe.Server.Reporting;

/// <summary>"--name value" pairs of the server's commands; anything unknown or without a value is an error.</summary>
public static class CommandOptions
{
    public static bool TryParse(string[] args, IReadOnlyCollection<string> known, out Dictionary<string, string> options, out string error)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        error = "";
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!known.Contains(args[i]))
            {
                error = $"unknown option '{args[i]}' (known: {string.Join(", ", known)})";
                return false;
            }

            if (i + 1 >= args.Length)
            {
                error = $"{args[i]} needs a value";
                return false;
            }

            options[args[i]] = args[i + 1];
        }

        return true;
    }
}
