using System.ComponentModel.DataAnnotations;
using MestresCafe.Api.Checkout;
using MestresCafe.Api.Infrastructure.Validation;
using MestresCafe.Customers;
using MestresCafe.Data.Customers;

namespace MestresCafe.Api.Customers;

/// <summary>
/// The body of PUT /api/me/customer: the whole profile (a field left out is cleared). A company
/// (business) gives its name and CNPJ; a person's CPF is optional. Check digits are verified.
/// </summary>
public sealed record CustomerProfileInput(
    [Required(ErrorMessage = "Required."), CustomerType] string? CustomerType,
    [CpfOrCnpj] string? TaxId,
    [TrimmedLength(200)] string? CompanyName,
    [StringLength(30, ErrorMessage = "At most {1} characters.")] string? StateRegistration) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        CustomerProfileRules.Check(CustomerType!, TaxId, CompanyName, StateRegistration).Select(p => new ValidationResult(p.Message, [p.Field]));

    internal CustomerProfileWrite ToWrite() => new(
        CustomerType!,
        CustomerProfileRules.NormalizeTaxId(CustomerType!, TaxId),
        string.IsNullOrWhiteSpace(CompanyName) ? null : CompanyName.Trim(),
        string.IsNullOrWhiteSpace(StateRegistration) ? null : CustomerProfileRules.NormalizeStateRegistration(StateRegistration));
}

/// <summary>The body of PUT /api/admin/customers/{id}: the profile plus what only staff set (notes, active).</summary>
public sealed record CustomerAdminInput(
    [Required(ErrorMessage = "Required."), CustomerType] string? CustomerType,
    [CpfOrCnpj] string? TaxId,
    [TrimmedLength(200)] string? CompanyName,
    [StringLength(30, ErrorMessage = "At most {1} characters.")] string? StateRegistration,
    [TrimmedLength(4000)] string? Notes,
    [Required(ErrorMessage = "Required.")] bool? IsActive) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Profile.Validate(validationContext);

    private CustomerProfileInput Profile => new(CustomerType, TaxId, CompanyName, StateRegistration);

    internal CustomerProfileWrite ToWrite() => Profile.ToWrite();

    internal CustomerStaffWrite ToStaffWrite() => new(string.IsNullOrWhiteSpace(Notes) ? null : Notes.Trim(), IsActive!.Value);
}

/// <summary>
/// An address of the book (POST adds, PUT replaces it whole). A default flag of true makes it the
/// default for that kind; the first address is the default of both.
/// </summary>
public sealed record AddressBookInput(
    [TrimmedLength(50)] string? Label,
    [AddressLine(2, 120)] string? RecipientName,
    [AddressLine(2, 200)] string? Street,
    [AddressLine(1, 20)] string? Number,
    [StringLength(100, ErrorMessage = "At most {1} characters.")] string? Complement,
    [AddressLine(2, 100)] string? District,
    [AddressLine(2, 100)] string? City,
    [Required(ErrorMessage = CheckoutValidation.StateMessage), BrazilianState] string? State,
    [Required(ErrorMessage = CheckoutValidation.PostalCodeMessage), PostalCode] string? PostalCode,
    [StringLength(20, ErrorMessage = "At most {1} characters.")] string? Phone,
    bool? IsDefaultBilling,
    bool? IsDefaultShipping)
{
    internal AddressFields ToFields()
    {
        var address = CheckoutValidation.ToAddress(new AddressInput(RecipientName, Street, Number, Complement, District, City, State, PostalCode, Phone))!;
        return new AddressFields(
            string.IsNullOrWhiteSpace(Label) ? null : Label.Trim(), address.RecipientName, address.Street, address.Number,
            string.IsNullOrWhiteSpace(address.Complement) ? null : address.Complement, address.District, address.City, address.State,
            address.PostalCode, string.IsNullOrWhiteSpace(address.Phone) ? null : address.Phone);
    }
}

public sealed class CustomerTypeAttribute() : OneOfAttribute(CustomerTypes.All, "One of");

/// <summary>The signed-in buyer's own record (staff notes are not shown to the customer).</summary>
public sealed record MyCustomerView(
    long Id, string CustomerNumber, string CustomerType, string? TaxId, string? CompanyName, string? StateRegistration,
    bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateOnly? BirthDate);

/// <summary>The body of PUT /api/me/customer/birth-date: yyyy-MM-dd, or null to clear it.</summary>
public sealed record BirthDateInput([StringLength(10, ErrorMessage = "A date as yyyy-MM-dd.")] string? BirthDate);

/// <summary>A customer as staff see it, with the identity fields from the user account.</summary>
public sealed record AdminCustomerView(
    long Id, long UserId, string CustomerNumber, string CustomerType, string? TaxId, string? CompanyName, string? StateRegistration,
    string? Notes, bool IsActive, string Email, string FirstName, string LastName, string? Phone,
    decimal CreditLimit, decimal CurrentBalance, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateOnly? BirthDate);

public sealed record AddressView(
    long Id, string? Label, string RecipientName, string Street, string Number, string? Complement, string District, string City,
    string State, string PostalCode, string? Phone, bool IsDefaultBilling, bool IsDefaultShipping, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Staff's 360° view of a customer (GET /api/admin/customers/{id}/overview).</summary>
public sealed record CustomerOverview(
    AdminCustomerView Profile, IReadOnlyList<AddressView> Addresses, IReadOnlyList<OverviewOrder> Orders, long OrderCount,
    IReadOnlyList<OverviewReturn> Returns, IReadOnlyList<OverviewLoyalty> Loyalty, IReadOnlyList<OverviewCommunication> Communications,
    IReadOnlyList<OverviewMembership> Groups, decimal LifetimeValue);

public sealed record OverviewOrder(string OrderNumber, string Status, decimal TotalAmount, decimal DiscountAmount, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt);

public sealed record OverviewReturn(string OrderNumber, string Reason, string Status, int Quantity, decimal RefundAmount, DateTimeOffset RequestedAt);

public sealed record OverviewLoyalty(string Program, int PointsBalance, int PointsEarned, string TierLevel, DateTimeOffset? LastActivity);

public sealed record OverviewCommunication(
    string Type, string Channel, string? Subject, string Direction, DateTimeOffset? SentAt, DateTimeOffset? ReadAt, DateTimeOffset CreatedAt);

public sealed record OverviewMembership(long GroupId, string Name, decimal DiscountPercentage, DateTimeOffset JoinedAt, DateTimeOffset? ExpiresAt, bool IsCurrent);
