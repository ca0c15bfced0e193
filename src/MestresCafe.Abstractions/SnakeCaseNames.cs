using System.Collections.Frozen;
using System.Text.Json;

namespace MestresCafe;

/// <summary>
/// The snake_case name of an enum value (<c>AwaitingPayment</c> is <c>awaiting_payment</c>), as the
/// relational CHECK constraints and the API spell it. One rule, .NET's own
/// <see cref="JsonNamingPolicy.SnakeCaseLower"/>, which is also what the API's JSON enum converter
/// uses, so a name in SQL, in a request and in a response can never drift apart.
/// </summary>
public static class SnakeCaseNames
{
    public static JsonNamingPolicy Policy => JsonNamingPolicy.SnakeCaseLower;

    /// <summary>The value's snake_case name; for a value the enum does not define, its number.</summary>
    public static string ToSnakeCase<TEnum>(this TEnum value) where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var name) ? name : value.ToString();

    /// <summary>The value named exactly (case-sensitively) <paramref name="name"/>; numbers and other spellings are refused.</summary>
    public static bool TryParse<TEnum>(string? name, out TEnum value) where TEnum : struct, Enum
    {
        if (name is not null && Names<TEnum>.ByName.TryGetValue(name, out value))
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>"a, b or c": every name in declaration order, for a validation message.</summary>
    public static string Choices<TEnum>() where TEnum : struct, Enum => Names<TEnum>.Choices;

    // Built once per enum type: the lookups on projection paths cost a dictionary read.
    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue =
            Enum.GetValues<TEnum>().Distinct().ToFrozenDictionary(v => v, v => Policy.ConvertName(v.ToString()));

        public static readonly FrozenDictionary<string, TEnum> ByName =
            ByValue.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

        public static readonly string Choices = Join(Enum.GetValues<TEnum>().Select(v => ByValue[v]).ToList());

        private static string Join(List<string> names) =>
            names.Count < 2 ? string.Concat(names) : string.Join(", ", names[..^1]) + " or " + names[^1];
    }
}
