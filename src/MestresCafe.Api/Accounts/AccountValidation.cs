using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Security;

namespace MestresCafe.Api.Accounts;

// The account rules as data annotations, for the request types in AccountContracts.

public sealed class AccountEmailAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => AccountRules.Email(value);
}

public sealed class NewPasswordAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => AccountRules.NewPassword(value);
}

public sealed class PersonNameAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => AccountRules.Name(value);
}

public sealed class PhoneNumberAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => AccountRules.Phone(value);
}

public sealed class AvatarUrlAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => AccountRules.AvatarUrl(value);
}

public sealed class PreferencesAttribute : RuleAttribute<JsonElement>
{
    protected override string? Check(JsonElement value) => AccountRules.Preferences(value);
}

public sealed class LanguageTagAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => AccountRules.Language(value);
}

public sealed class TimeZoneIdAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => AccountRules.TimeZone(value);
}

/// <summary>A present field that may not be blank (a partial update may leave it out, not empty it).</summary>
public sealed class NotBlankAttribute : RuleAttribute<string>
{
    protected override string? Check(string value) => string.IsNullOrWhiteSpace(value) ? ErrorMessageString : null;
}

/// <summary>The shape of a confirmation or reset token (missing counts as malformed); whether it is live is the service's question.</summary>
public sealed class SessionTokenAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) => SessionTokens.LooksValid(value as string);
}
