using MestresCafe.Customers;
using MestresCafe.TaxIds;

namespace MestresCafe.Api.Tests.Customers;

/// <summary>CPF and CNPJ check digits, and what makes a customer's profile whole: plain functions, no server.</summary>
public sealed class TaxIdTests
{
    [Theory]
    [InlineData("529.982.247-25")]
    [InlineData("52998224725")]
    [InlineData(" 111.444.777-35 ")]
    public void Valid_cpfs_pass_with_or_without_punctuation(string cpf) => Assert.Null(Cpf.Check(cpf));

    [Theory]
    [InlineData("529.982.247-24", "The check digits do not match.")]
    [InlineData("52998224752", "The check digits do not match.")]
    [InlineData("111.111.111-11", "Not a CPF.")]
    [InlineData("5299822472", "A CPF has 11 digits: 9 digits and 2 check digits.")]
    [InlineData("5299822472A", "A CPF has 11 digits: 9 digits and 2 check digits.")]
    public void Invalid_cpfs_say_why(string cpf, string problem) => Assert.Equal(problem, Cpf.Check(cpf));

    [Fact]
    public void Every_generated_cpf_passes_and_a_changed_check_digit_fails()
    {
        for (var i = 0; i < 200; i++)
        {
            var cpf = CustomerSteps.NewCpf();
            Assert.Null(Cpf.Check(cpf));
            var position = 9 + i % 2;
            var changed = cpf[..position] + (char)('0' + (cpf[position] - '0' + 1 + i % 9) % 10) + cpf[(position + 1)..];
            Assert.Equal("The check digits do not match.", Cpf.Check(changed));
        }
    }

    [Fact]
    public void The_kind_decides_which_rule_applies()
    {
        Assert.Null(TaxId.Check("11.222.333/0001-81", TaxIdKind.Cnpj));
        Assert.NotNull(TaxId.Check("11.222.333/0001-81", TaxIdKind.Cpf));
        Assert.NotNull(TaxId.Check("529.982.247-25", TaxIdKind.Cnpj));
        Assert.Equal(("52998224725", "12ABC34501DE35"), (TaxId.Normalize("529.982.247-25", TaxIdKind.Cpf), TaxId.Normalize("12.abc.345/01de-35", TaxIdKind.Cnpj)));
    }

    [Fact]
    public void A_company_needs_its_name_and_cnpj_and_a_person_carries_no_company_fields()
    {
        Assert.Empty(CustomerProfileRules.Check(CustomerTypes.Business, "11.222.333/0001-81", "Café do Ponto Ltda", "110.042.490.114"));
        Assert.Empty(CustomerProfileRules.Check(CustomerTypes.Business, "11222333000181", "Café do Ponto Ltda", "isento"));
        Assert.Empty(CustomerProfileRules.Check(CustomerTypes.Individual, null, null, null));
        Assert.Empty(CustomerProfileRules.Check(CustomerTypes.Individual, "529.982.247-25", " ", null));

        Assert.Equal([("taxId", "A company needs its CNPJ."), ("companyName", "A company needs its name.")],
            CustomerProfileRules.Check(CustomerTypes.Business, null, null, null));
        Assert.Equal(["taxId"], CustomerProfileRules.Check(CustomerTypes.Business, "529.982.247-25", "Café", null).Select(p => p.Field));
        Assert.Equal(["stateRegistration"], CustomerProfileRules.Check(CustomerTypes.Business, "11222333000181", "Café", "IE-ABC").Select(p => p.Field));
        Assert.Equal(["taxId", "companyName", "stateRegistration"],
            CustomerProfileRules.Check(CustomerTypes.Individual, "11222333000181", "Café", "123").Select(p => p.Field));
        Assert.Equal(("110042490114", "ISENTO"),
            (CustomerProfileRules.NormalizeStateRegistration("110.042.490.114"), CustomerProfileRules.NormalizeStateRegistration(" Isento ")));
    }

    [Theory]
    [InlineData("529.982.247-25")]
    [InlineData("52998224725")]
    [InlineData(" 111.444.777-35 ")]
    [InlineData("11.222.333/0001-81")]
    [InlineData("11222333000181")]
    [InlineData("")]
    public void The_tax_id_attribute_takes_a_cpf_or_a_cnpj_with_valid_check_digits(string taxId) =>
        Assert.Null(TaxIdRule(taxId));

    [Theory]
    [InlineData("529.982.247-24", "The check digits do not match.")]
    [InlineData("111.111.111-11", "Not a CPF.")]
    [InlineData("11.222.333/0001-82", null)]
    [InlineData("529 982 247 25", "A CPF (000.000.000-00) or a CNPJ (00.000.000/0000-00), with or without punctuation.")]
    [InlineData("5299822472", "A CPF (000.000.000-00) or a CNPJ (00.000.000/0000-00), with or without punctuation.")]
    [InlineData("529.982.247-25x", "A CPF (000.000.000-00) or a CNPJ (00.000.000/0000-00), with or without punctuation.")]
    public void The_tax_id_attribute_refuses_wrong_digits_and_other_shapes(string taxId, string? problem)
    {
        var refusal = TaxIdRule(taxId);

        Assert.NotNull(refusal);
        if (problem is not null)
        {
            Assert.Equal(problem, refusal);
        }
    }

    [Theory]
    [InlineData("529.982.247-25", true)]
    [InlineData("11.222.333/0001-81", true)]
    [InlineData("529 982 247 25", false)]
    [InlineData("5299822472", false)]
    public void The_documented_pattern_accepts_the_shapes_the_attribute_accepts(string taxId, bool matches) =>
        Assert.Equal(matches, System.Text.RegularExpressions.Regex.IsMatch(taxId, Api.Infrastructure.Validation.CpfOrCnpjAttribute.Pattern));

    private static string? TaxIdRule(string taxId) =>
        new Api.Infrastructure.Validation.CpfOrCnpjAttribute().GetValidationResult(taxId, new System.ComponentModel.DataAnnotations.ValidationContext(taxId))?.ErrorMessage;
}
