using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using MestresCafe.Api.Accounts;
using MestresCafe.Api.Catalog;
using MestresCafe.Api.Checkout;
using MestresCafe.Api.Coupons;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Api.Payments;
using MestresCafe.Api.Reports;
using MestresCafe.Coupons;
using MestresCafe.Orders;
using Microsoft.OpenApi;

namespace MestresCafe.Api.OpenApi;

/// <summary>
/// The schema facts of each validation attribute, read from the constants and patterns the rule
/// itself checks with, so a changed rule changes the document. Rules a schema cannot say (check
/// digits, "not the e-mail") stay in the validator; the schema says the shape they accept.
/// </summary>
internal static class ValidationSchemaFacts
{
    public static void Apply(OpenApiSchema schema, IEnumerable<object> attributes)
    {
        foreach (var attribute in attributes)
        {
            Apply(schema, attribute);
        }
    }

    private static void Apply(OpenApiSchema schema, object attribute)
    {
        var isArray = schema.Type?.HasFlag(JsonSchemaType.Array) == true;
        switch (attribute)
        {
            case StringLengthAttribute length:
                schema.MaxLength = length.MaximumLength;
                schema.MinLength = length.MinimumLength > 0 ? length.MinimumLength : schema.MinLength;
                break;
            case MaxLengthAttribute max when isArray:
                schema.MaxItems = max.Length;
                break;
            case MaxLengthAttribute max:
                schema.MaxLength = max.Length;
                break;
            case MinLengthAttribute min when isArray:
                schema.MinItems = min.Length;
                break;
            case MinLengthAttribute min:
                schema.MinLength = min.Length;
                break;
            case LengthAttribute length when isArray:
                (schema.MinItems, schema.MaxItems) = (length.MinimumLength, length.MaximumLength);
                break;
            case LengthAttribute length:
                (schema.MinLength, schema.MaxLength) = (length.MinimumLength, length.MaximumLength);
                break;
            case RangeAttribute range:
                schema.Minimum = Number(range.Minimum);
                schema.Maximum = Number(range.Maximum);
                break;
            case RegularExpressionAttribute regex:
                schema.Pattern = regex.Pattern;
                break;
            case EmailAddressAttribute:
                schema.Format = "email";
                break;
            case TrimmedLengthAttribute trimmed:
                schema.MaxLength = trimmed.Maximum;
                break;
            case TrimmedTextRuleAttribute trimmed:
                schema.MaxLength = trimmed.Maximum;
                break;
            case OneOfAttribute oneOf:
                Choices(schema, oneOf.Values);
                break;
            case MoneyAttribute:
                (schema.Minimum, schema.Maximum, schema.MultipleOf) = ("0", Number(MoneyAttribute.Max), 0.01m);
                break;
            case PositiveCentsAttribute:
                (schema.ExclusiveMinimum, schema.Maximum, schema.MultipleOf) = ("0", Number(MoneyAttribute.Max), 0.01m);
                break;
            case RowIdAttribute:
                (schema.Minimum, schema.Maximum) = ("1", Number(long.MaxValue));
                break;
            case Infrastructure.Validation.NotBlankAttribute or Accounts.NotBlankAttribute:
                (schema.MinLength, schema.Pattern) = (1, @"\S");
                break;
            case CnpjAttribute:
                (schema.MaxLength, schema.Pattern) = (18, CnpjAttribute.Pattern);
                break;
            case CpfOrCnpjAttribute:
                (schema.MaxLength, schema.Pattern) = (CpfOrCnpjAttribute.MaxLength, CpfOrCnpjAttribute.Pattern);
                break;
            case AccountEmailAttribute:
                (schema.MaxLength, schema.Format) = (AccountRules.MaxEmailLength, "email");
                break;
            case NewPasswordAttribute:
                (schema.MinLength, schema.MaxLength, schema.Format) = (AccountRules.MinPasswordLength, AccountRules.MaxPasswordLength, "password");
                break;
            case PersonNameAttribute:
                schema.MaxLength = AccountRules.MaxNameLength;
                break;
            case PhoneNumberAttribute:
                (schema.MaxLength, schema.Pattern) = (AccountRules.MaxPhoneLength, @"^\+?[0-9 ().-]{8,}$");
                break;
            case AvatarUrlAttribute:
                (schema.MaxLength, schema.Format) = (AccountRules.MaxAvatarUrlLength, "uri");
                break;
            case LanguageTagAttribute:
                (schema.MaxLength, schema.Pattern) = (6, Ecma(AccountRules.LanguagePattern().ToString()));
                break;
            case TimeZoneIdAttribute:
                schema.MaxLength = AccountRules.MaxTimeZoneLength;
                break;
            case SessionTokenAttribute:
                (schema.MinLength, schema.MaxLength, schema.Pattern) = (43, 43, "^[A-Za-z0-9_-]{43}$");
                break;
            case PostalCodeAttribute:
                (schema.MaxLength, schema.Pattern) = (9, @"^[0-9]{5}-?[0-9]{3}$");
                break;
            case BrazilianStateAttribute:
                Choices(schema, CheckoutValidation.States);
                break;
            case CouponCodeShapeAttribute:
                (schema.MaxLength, schema.Pattern) = (CouponCode.MaxLength, Ecma(CheckoutValidation.CouponPattern().ToString()));
                break;
            case CouponCodeFormatAttribute:
                (schema.MinLength, schema.MaxLength) = (1, CouponCode.MaxLength);
                break;
            case ShippingMethodNameAttribute:
                Choices(schema, ShippingMethods.All);
                break;
            case PaymentMethodNameAttribute:
                Choices(schema, Enum.GetNames<PaymentMethodKind>().Select(SnakeCaseNames.Policy.ConvertName).ToList());
                break;
            case AddressLineAttribute line:
                (schema.MinLength, schema.MaxLength) = (line.Minimum, line.Maximum);
                break;
            case GatewayCardNumberAttribute:
                (schema.MaxLength, schema.Pattern) = (30, "^[0-9 -]+$");
                break;
            case ReportBucketAttribute:
                Choices(schema, [.. MestresCafe.Data.Reporting.ReportQuery.Buckets]);
                break;
            case ReportFormatAttribute:
                Choices(schema, ["json", "csv"]);
                break;
            case ReportLimitAttribute:
                (schema.MaxLength, schema.Pattern) = (4, "^[0-9]+$");
                break;
            case BrandFiltersAttribute:
                schema.MaxItems = ProductListRequest.MaxBrands;
                break;
            case AttributeFiltersAttribute:
                schema.MaxItems = ProductListRequest.MaxAttributeFilters;
                break;
        }
    }

    private static void Choices(OpenApiSchema schema, IEnumerable<string> values)
    {
        if (schema.Type?.HasFlag(JsonSchemaType.Array) == true)
        {
            return;
        }

        schema.Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))];
        if (schema.Type?.HasFlag(JsonSchemaType.Null) == true)
        {
            schema.Enum.Add(null!);
        }
    }

    /// <summary>
    /// A bound as JSON writes it. RangeAttribute keeps integer bounds as doubles, and long.MaxValue as
    /// a double prints as 9.223372036854776E+18 (2^63, past the int64 range): whole numbers are
    /// printed as integers, clamped to the int64 range.
    /// </summary>
    private static string? Number(object? value) => value switch
    {
        double bound when bound >= long.MaxValue => long.MaxValue.ToString(CultureInfo.InvariantCulture),
        double bound when bound <= long.MinValue => long.MinValue.ToString(CultureInfo.InvariantCulture),
        double bound when Math.Floor(bound) == bound => ((long)bound).ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    // .NET's end-of-text anchor has no ECMA-262 spelling; "$" means the same for a single-line value.
    private static string Ecma(string pattern) => pattern.Replace(@"\z", "$", StringComparison.Ordinal);
}
