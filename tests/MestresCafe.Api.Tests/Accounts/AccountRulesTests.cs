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
        Assert.Equal(valid, AccountRules.Email(email) is null);
    }

    [Theory]
    [InlineData("Senha-forte-2024", true)]
    [InlineData("café com leite 1", true)]
    [InlineData("curta-1", false)]
    [InlineData("somenteletras", false)]
    [InlineData("12345678901", false)]
    public void Passwords_need_length_and_more_than_letters(string password, bool valid)
    {
        Assert.Equal(valid, AccountRules.NewPassword(password) is null && !AccountRules.PasswordIsEmail(password, "ana@example.com"));
    }

    [Theory]
    [InlineData("+55 (11) 98765-4321", true)]
    [InlineData("11987654321", true)]
    [InlineData("1234", false)]
    [InlineData("11987654321\n", false)]
    [InlineData("+55 11 9876x4321", false)]
    public void Phones_are_digits_with_an_optional_plus(string phone, bool valid)
    {
        Assert.Equal(valid, AccountRules.Phone(phone) is null);
    }

    [Theory]
    [InlineData("pt-BR", true)]
    [InlineData("en", true)]
    [InlineData("pt-BR\n", false)]
    [InlineData("portuguese", false)]
    public void Languages_are_short_tags(string language, bool valid)
    {
        Assert.Equal(valid, AccountRules.Language(language) is null);
    }

    [Fact]
    public void Preferences_are_a_small_json_object()
    {
        Assert.Null(AccountRules.Preferences(JsonDocument.Parse("""{"a": 1}""").RootElement));
        Assert.NotNull(AccountRules.Preferences(JsonDocument.Parse("[1]").RootElement));
        Assert.NotNull(AccountRules.Preferences(JsonDocument.Parse($$"""{"a": "{{new string('x', 5000)}}"}""").RootElement));
    }
}
