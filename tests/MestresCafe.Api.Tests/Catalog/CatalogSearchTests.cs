using System.Net;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Catalog;

/// <summary>The public catalog over the demo store: search, filters, sorting, pages, detail, tree, brands.</summary>
public sealed class CatalogSearchTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    private readonly HttpClient _http = host.CreateClient();

    [Fact]
    public async Task Search_ignores_accents_in_the_query_and_in_the_text()
    {
        var withAccent = await _http.GetJsonAsync("/api/catalog/products?q=café&pageSize=100");
        var without = await _http.GetJsonAsync("/api/catalog/products?q=cafe&pageSize=100");

        Assert.True(without.GetProperty("totalCount").GetInt64() >= 20);
        Assert.Equal(withAccent.Slugs(), without.Slugs());
        Assert.Contains("cafe-sul-de-minas-bourbon-amarelo", without.Slugs());

        var ceramica = await _http.GetJsonAsync("/api/catalog/products?q=ceramica");
        var ceramicaAccented = await _http.GetJsonAsync("/api/catalog/products?q=CERÂMICA");
        Assert.Contains("hario-v60-ceramica-02", ceramica.Slugs());
        Assert.Equal(ceramica.Slugs(), ceramicaAccented.Slugs());
    }

    [Fact]
    public async Task Search_is_ranked_by_relevance_with_the_best_match_first()
    {
        var page = await _http.GetJsonAsync("/api/catalog/products?q=moedor comandante");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.Contains("comandante", items[0].GetProperty("slug").GetString());
        var ranks = items.Select(i => i.GetProperty("relevance").GetDouble()).ToList();
        Assert.Equal(ranks.OrderDescending(), ranks);
    }

    [Fact]
    public async Task Sql_metacharacters_in_search_are_plain_text()
    {
        foreach (var q in new[] { "'; drop table products; --", "café' or '1'='1", "\\\"%_)(*&^|!:<>", "&&||!!" })
        {
            using var response = await _http.GetAsync("/api/catalog/products?q=" + Uri.EscapeDataString(q));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(50, await host.Database.ScalarAsync<long>("select count(*) from products"));
    }

    [Fact]
    public async Task Category_filter_includes_the_whole_subtree()
    {
        var cafes = await _http.GetJsonAsync("/api/catalog/products?category=cafes&pageSize=100");
        var microlotes = await _http.GetJsonAsync("/api/catalog/products?category=microlotes&pageSize=100");

        Assert.Equal(24, cafes.GetProperty("totalCount").GetInt64());
        Assert.True(microlotes.GetProperty("totalCount").GetInt64() is > 0 and < 24);
        Assert.All(microlotes.Slugs(), slug => Assert.Contains(slug, cafes.Slugs()));
        Assert.All(cafes.GetProperty("items").EnumerateArray(),
            p => Assert.Contains(p.GetProperty("category").GetProperty("slug").GetString(), new[] { "cafes-especiais", "microlotes", "blends" }));
    }

    [Fact]
    public async Task Brand_price_and_attribute_filters_combine()
    {
        var hario = await _http.GetJsonAsync("/api/catalog/products?brand=hario&pageSize=100");
        Assert.NotEmpty(hario.Slugs());
        Assert.All(hario.GetProperty("items").EnumerateArray(), p => Assert.Equal("hario", p.GetProperty("brand").GetProperty("slug").GetString()));

        var cheap = await _http.GetJsonAsync("/api/catalog/products?minPrice=50&maxPrice=80&pageSize=100");
        Assert.NotEmpty(cheap.Slugs());
        Assert.All(cheap.GetProperty("items").EnumerateArray(), p => Assert.InRange(p.GetProperty("price").GetDecimal(), 50m, 80m));

        // Accent- and case-insensitive attribute values; one attribute's values are alternatives.
        var natural = await _http.GetJsonAsync("/api/catalog/products?attr=processo:natural&pageSize=100");
        var naturalOrLavado = await _http.GetJsonAsync("/api/catalog/products?attr=Processo:Natural&attr=Processo:Lavado&pageSize=100");
        var naturalClara = await _http.GetJsonAsync("/api/catalog/products?attr=Processo:Natural&attr=Torra:Media-clara&pageSize=100");
        var naturalMediaClara = await _http.GetJsonAsync("/api/catalog/products?attr=Processo:Natural&attr=Torra:Média-clara&pageSize=100");
        var expectedNatural = await host.Database.ScalarAsync<long>(
            "select count(*) from product_attribute_values v join product_attributes a on a.id = v.attribute_id where a.name = 'Processo' and v.value = 'Natural'");
        Assert.Equal(expectedNatural, natural.GetProperty("totalCount").GetInt64());
        Assert.True(naturalOrLavado.GetProperty("totalCount").GetInt64() > expectedNatural);
        Assert.Equal(naturalClara.Slugs(), naturalMediaClara.Slugs());
        Assert.All(naturalClara.Slugs(), slug => Assert.Contains(slug, natural.Slugs()));
    }

    [Fact]
    public async Task In_stock_and_featured_filters()
    {
        var productId = await host.Database.ScalarAsync<long>("select id from products where slug = 'chaleira-fellow-stagg-ekg'");
        await host.Database.ExecuteAsync($"update inventory set quantity_available = 0 where product_id = {productId}");

        var all = await _http.GetJsonAsync("/api/catalog/products?q=stagg");
        var inStock = await _http.GetJsonAsync("/api/catalog/products?q=stagg&inStock=true");
        var featured = await _http.GetJsonAsync("/api/catalog/products?featured=true&pageSize=100");

        Assert.Contains("chaleira-fellow-stagg-ekg", all.Slugs());
        Assert.DoesNotContain("chaleira-fellow-stagg-ekg", inStock.Slugs());
        Assert.NotEmpty(featured.Slugs());
        Assert.All(featured.GetProperty("items").EnumerateArray(), p => Assert.True(p.GetProperty("isFeatured").GetBoolean()));
    }

    [Fact]
    public async Task Sorting_and_pagination()
    {
        var byPrice = await _http.GetJsonAsync("/api/catalog/products?sort=price_asc&pageSize=100");
        var prices = byPrice.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("price").GetDecimal()).ToList();
        Assert.Equal(prices.Order(), prices);

        var byPriceDesc = await _http.GetJsonAsync("/api/catalog/products?sort=price_desc&pageSize=5");
        Assert.Equal(prices.OrderDescending().Take(5), byPriceDesc.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("price").GetDecimal()));

        var first = await _http.GetJsonAsync("/api/catalog/products?sort=name&pageSize=20&page=1");
        var third = await _http.GetJsonAsync("/api/catalog/products?sort=name&pageSize=20&page=3");
        var beyond = await _http.GetJsonAsync("/api/catalog/products?sort=name&pageSize=20&page=4");
        Assert.Equal(50, first.GetProperty("totalCount").GetInt64());
        Assert.Equal(3, first.GetProperty("totalPages").GetInt32());
        Assert.Equal(20, first.Slugs().Length);
        Assert.Equal(10, third.Slugs().Length);
        Assert.Empty(beyond.Slugs());
        Assert.Equal(50, beyond.GetProperty("totalCount").GetInt64());
        Assert.Empty(first.Slugs().Intersect(third.Slugs()));

        var names = first.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(names, names.Order(StringComparer.Create(new System.Globalization.CultureInfo("pt-BR"), false)).ToList());
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=100000")]
    [InlineData("pageSize=1000")]
    [InlineData("pageSize=-1")]
    [InlineData("minPrice=-5")]
    [InlineData("minPrice=10&maxPrice=5")]
    [InlineData("sort=drop")]
    [InlineData("category=Not%20A%20Slug")]
    [InlineData("attr=novalue")]
    [InlineData("page=abc")]
    public async Task Invalid_listing_parameters_are_a_400_problem(string query)
    {
        using var response = await _http.GetAsync("/api/catalog/products?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_huge_search_string_is_rejected()
    {
        using var response = await _http.GetAsync("/api/catalog/products?q=" + new string('a', 5000));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task Product_detail_has_variants_images_attributes_and_rating()
    {
        var product = await _http.GetJsonAsync("/api/catalog/products/cafe-sul-de-minas-bourbon-amarelo");

        Assert.Equal("Café Sul de Minas Bourbon Amarelo", product.GetProperty("name").GetString());
        Assert.Equal(6, product.GetProperty("variants").GetArrayLength());
        Assert.Equal(2, product.GetProperty("images").GetArrayLength());
        Assert.Contains(product.GetProperty("attributes").EnumerateArray(), a => a.GetProperty("name").GetString() == "Processo");
        Assert.Equal(0, product.GetProperty("rating").GetProperty("count").GetInt32());
        Assert.Equal("cafes-especiais", product.GetProperty("category").GetProperty("slug").GetString());
        Assert.False(product.TryGetProperty("costPrice", out _));
        Assert.All(product.GetProperty("variants").EnumerateArray(), v => Assert.False(v.TryGetProperty("costPrice", out _)));
    }

    [Theory]
    [InlineData("nao-existe")]
    [InlineData("NOT_A_SLUG")]
    [InlineData("x'%20or%20'1'='1")]
    public async Task Unknown_product_is_a_404_problem(string slug)
    {
        using var response = await _http.GetAsync("/api/catalog/products/" + slug);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Category_tree_nests_children_and_counts_subtree_products()
    {
        var tree = await _http.GetJsonAsync("/api/catalog/categories");

        var roots = tree.EnumerateArray().ToList();
        Assert.Equal(4, roots.Count);
        var cafes = roots.Single(c => c.GetProperty("slug").GetString() == "cafes");
        Assert.Equal(3, cafes.GetProperty("children").GetArrayLength());
        Assert.Equal(24, cafes.GetProperty("productCount").GetInt32());
        Assert.Equal(cafes.GetProperty("productCount").GetInt32(), cafes.GetProperty("children").EnumerateArray().Sum(c => c.GetProperty("productCount").GetInt32()));
    }

    [Fact]
    public async Task Brands_are_listed_with_product_counts()
    {
        var brands = await _http.GetJsonAsync("/api/catalog/brands");

        Assert.Equal(11, brands.GetArrayLength());
        Assert.Contains(brands.EnumerateArray(), b => b.GetProperty("slug").GetString() == "hario" && b.GetProperty("productCount").GetInt32() > 0);
    }

    [Fact]
    public async Task Openapi_document_lists_the_catalog_endpoints_with_schemas()
    {
        var document = await _http.GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/catalog/products", "/api/catalog/products/{slug}", "/api/catalog/categories", "/api/catalog/brands",
                     "/api/catalog/products/{slug}/reviews", "/api/wishlist", "/api/admin/catalog/products", "/api/admin/catalog/products/{id}",
                     "/api/admin/catalog/categories", "/api/admin/catalog/brands", "/api/admin/catalog/attributes", "/api/admin/metrics/cache" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path + " missing from the OpenAPI document");
        }

        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "ProductDetail", "ProductInput", "AdminProduct", "CategoryNode", "HttpValidationProblemDetails" })
        {
            Assert.True(schemas.TryGetProperty(schema, out _), schema + " schema missing");
        }
    }
}
