using System.Text.Json;
using MestresCafe.Api.Accounts;

namespace MestresCafe.Api.Tests.Accounts;

public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("ana@example.com.br", true)]
    [InlineData("  Ana.Souza@Example.COM ", true)]
    [InlineData("ana", false)]
    [InlineData("ana@localhost", false)]
    [InlineData("Ana <ana@example.com>", false)]
    [InlineData("a b@example.com", false)]
    [InlineData("", false)]
    public void Emails_are_checked_after_normalizing(string email, bool valid)
    {
        var errors = new ValidationErrors();

        AccountRules.Email(email, errors);

        Assert.Equal(valid, errors.IsValid);
    }

    [Theory]
    [InlineData("Senha-forte-2024", true)]
    [InlineData("café com leite 1", true)]
    [InlineData("curta-1", false)]
    [InlineData("somenteletras", false)]
    [InlineData("12345678901", false)]
    public void Passwords_need_length_and_more_than_letters(string password, bool valid)
    {
        var errors = new ValidationErrors();

        AccountRules.NewPassword(password, "ana@example.com", errors);

        Assert.Equal(valid, errors.IsValid);
    }

    [Theory]
    [InlineData("+55 (11) 98765-4321", true)]
    [InlineData("11987654321", true)]
    [InlineData("1234", false)]
    [InlineData("11987654321\n", false)]
    [InlineData("+55 11 9876x4321", false)]
    public void Phones_are_digits_with_an_optional_plus(string phone, bool valid)
    {
        var errors = new ValidationErrors();

        AccountRules.Phone(phone, errors);

        Assert.Equal(valid, errors.IsValid);
    }

    [Theory]
    [InlineData("pt-BR", true)]
    [InlineData("en", true)]
    [InlineData("pt-BR\n", false)]
    [InlineData("portuguese", false)]
    public void Languages_are_short_tags(string language, bool valid)
    {
        var errors = new ValidationErrors();

        AccountRules.Language(language, errors);

        Assert.Equal(valid, errors.IsValid);
    }

    [Fact]
    public void Preferences_are_a_small_json_object()
    {
        var errors = new ValidationErrors();
        AccountRules.Preferences(JsonDocument.Parse("""{"a": 1}""").RootElement, errors);
        Assert.True(errors.IsValid);

        AccountRules.Preferences(JsonDocument.Parse("[1]").RootElement, errors);
        AccountRules.Preferences(JsonDocument.Parse($$"""{"a": "{{new string('x', 5000)}}"}""").RootElement, errors);
        Assert.Equal(2, errors.ToDictionary()["preferences"].Length);
    }
}
