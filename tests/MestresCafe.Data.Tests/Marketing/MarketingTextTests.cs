using MestresCafe.Marketing;

namespace MestresCafe.Data.Tests.Marketing;

/// <summary>The rules of a marketing text: links, the opt-out line, the length, the opt-out replies.</summary>
public sealed class MarketingTextTests
{
    [Fact]
    public void Links_are_found_in_order_without_the_sentences_closing_punctuation()
    {
        const string Body = "Veja https://mestres.cafe/cafes/safra. E também http://x.example/a?b=1&c=2! Fim {{ first_name }}";
        Assert.Equal(["https://mestres.cafe/cafes/safra", "http://x.example/a?b=1&c=2"], MarketingText.Links(Body));
        Assert.Equal("Veja [0]. E também [1]! Fim {{ first_name }}", MarketingText.ReplaceLinks(Body, (i, _) => $"[{i}]"));
        Assert.Empty(MarketingText.Links("Sem link, só mestres.cafe"));
    }

    [Fact]
    public void Every_text_ends_with_the_opt_out_line()
    {
        Assert.Equal("Oi Ana!\n" + MarketingText.OptOutHint, MarketingText.Compose("  Oi Ana!  "));
        Assert.Equal("Responda SAIR para não receber mais", MarketingText.OptOutHint);
    }

    [Fact]
    public void The_composed_text_may_have_480_characters_and_not_one_more()
    {
        var fits = MarketingText.Compose(new string('a', MarketingText.MaxLength - MarketingText.OptOutHint.Length - 1));
        Assert.Equal(MarketingText.MaxLength, fits.Length);
        Assert.Null(MarketingText.CheckLength(fits));
        Assert.NotNull(MarketingText.CheckLength(fits + "a"));
    }

    [Fact]
    public void A_text_made_too_long_by_a_recipients_data_is_cut_in_its_body_and_keeps_the_opt_out_line()
    {
        var fitted = MarketingText.Fit(new string('a', 600));
        Assert.Equal(MarketingText.MaxLength, fitted.Length);
        Assert.EndsWith("…\n" + MarketingText.OptOutHint, fitted, StringComparison.Ordinal);
        Assert.Equal(MarketingText.Compose("curto"), MarketingText.Fit("curto"));
    }

    [Theory]
    [InlineData("SAIR")]
    [InlineData("  sair ")]
    [InlineData("Sáir")]
    [InlineData("parar")]
    [InlineData("PARE")]
    [InlineData("cancelar")]
    [InlineData("Descadastrar")]
    [InlineData("stop")]
    [InlineData("Sair!")]
    public void An_opt_out_word_opts_out_whatever_its_case_accents_and_spaces(string reply) => Assert.True(MarketingText.IsOptOut(reply));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Quero sair da lista amanhã")]
    [InlineData("obrigado")]
    [InlineData("SAIRR")]
    public void Any_other_reply_does_not(string? reply) => Assert.False(MarketingText.IsOptOut(reply));
}
