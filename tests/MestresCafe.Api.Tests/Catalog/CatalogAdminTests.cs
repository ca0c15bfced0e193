using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MestresCafe.Api.Tests.Infrastructure;

namespace MestresCafe.Api.Tests.Catalog;

/// <summary>Back-office catalog writes: permissions, conflicts, audit, mass assignment, malformed input.</summary>
public sealed class CatalogAdminTests(ApiTestHost host) : IClassFixture<ApiTestHost>
{
    [Fact]
    public async Task Manager_creates_a_product_with_an_audit_row_and_the_storefront_shows_it()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var categoryId = await host.Database.ScalarAsync<long>("select id from categories where slug = 'blends'");

        using var response = await manager.Http.PostAsJsonAsync("/api/admin/catalog/products", new
        {
            name = "Blend Açaí Especial",
            sku = "BLEND-ACAI-1",
            price = 59.90m,
            description = "Um blend com notas de açaí e cacau.",
            categoryId,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        Assert.Equal("blend-acai-especial", created.GetProperty("slug").GetString());
        Assert.Equal(manager.UserId, created.GetProperty("createdBy").GetInt64());
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            $"select count(*) from audit_logs where action = 'catalog.product.create' and table_name = 'products' and record_id = {id} and user_id = {manager.UserId} and old_values is null and new_values ->> 'sku' = 'BLEND-ACAI-1'"));

        var anonymous = host.CreateClient();
        var detail = await anonymous.GetJsonAsync("/api/catalog/products/blend-acai-especial");
        Assert.Equal(59.90m, detail.GetProperty("price").GetDecimal());
        var search = await anonymous.GetJsonAsync("/api/catalog/products?q=acai");
        Assert.Contains("blend-acai-especial", search.Slugs());
    }

    [Fact]
    public async Task Update_is_audited_with_old_and_new_values_and_invalidates_the_cached_detail()
    {
        using var manager = await host.CreateSignedInClientAsync("manager");
        var anonymous = host.CreateClient();
        var before = await anonymous.GetJsonAsync("/api/catalog/products/filtro-papel-hario-v60-02");
        var id = before.GetProperty("id").GetInt64();
        var oldPrice = before.GetProperty("price").GetDecimal();
        _ = await anonymous.GetJsonAsync("/api/catalog/products/filtro-papel-hario-v60-02"); // now served from the caches

        using var response = await manager.Http.PatchAsJsonAsync($"/api/admin/catalog/products/{id}", new { price = oldPrice + 1m, shortDescription = "Novo texto" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = await anonymous.GetJsonAsync("/api/catalog/products/filtro-papel-hario-v60-02");
        Assert.Equal(oldPrice + 1m, after.GetProperty("price").GetDecimal());
        Assert.Equal("Novo texto", after.GetProperty("shortDescription").GetString());
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            $"select count(*) from audit_logs where action = 'catalog.product.update' and record_id = {id} and (old_values ->> 'price')::numeric = {oldPrice.ToString(System.Globalization.CultureInfo.InvariantCulture)} and (new_values ->> 'price')::numeric = {(oldPrice + 1m).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }

    [Fact]
    public async Task Duplicate_slug_or_sku_is_a_409_problem_and_writes_nothing()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        var products = await host.Database.ScalarAsync<long>("select count(*) from products");
        var audits = await host.Database.ScalarAsync<long>("select count(*) from audit_logs");
        var variantSku = await host.Database.ScalarAsync<string>("select sku from product_variants order by id limit 1");

        using var slug = await admin.Http.PostAsJsonAsync("/api/admin/catalog/products", new { name = "Outro", slug = "cafe-sul-de-minas-bourbon-amarelo", sku = "OUTRO-1", price = 10 });
        using var sku = await admin.Http.PostAsJsonAsync("/api/admin/catalog/products", new { name = "Outro", sku = "CHX-CM6A", price = 10 });
        using var skuOfVariant = await admin.Http.PostAsJsonAsync("/api/admin/catalog/products", new { name = "Outro 2", sku = variantSku, price = 10 });
        using var category = await admin.Http.PostAsJsonAsync("/api/admin/catalog/categories", new { name = "Cafés de novo", slug = "cafes" });

        Assert.Equal(HttpStatusCode.Conflict, slug.StatusCode);
        Assert.Equal("application/problem+json", slug.Content.Headers.ContentType?.MediaType);
        Assert.Contains("slug", (await slug.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, sku.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, skuOfVariant.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, category.StatusCode);
        Assert.Equal(products, await host.Database.ScalarAsync<long>("select count(*) from products"));
        Assert.Equal(audits, await host.Database.ScalarAsync<long>("select count(*) from audit_logs"));
    }

    [Fact]
    public async Task Fields_a_client_may_not_set_are_ignored()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        var otherUser = await host.Database.ScalarAsync<long>("select min(id) from users");

        using var response = await admin.Http.PostAsJsonAsync("/api/admin/catalog/products", new
        {
            id = 999_999,
            name = "Produto Atribuição",
            sku = "MASS-ASSIGN-1",
            price = 12.5m,
            createdBy = otherUser,
            created_by = otherUser,
            createdAt = "2001-01-01T00:00:00Z",
            updatedAt = "2001-01-01T00:00:00Z",
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        Assert.NotEqual(999_999, created.GetProperty("id").GetInt64());
        Assert.Equal(admin.UserId, created.GetProperty("createdBy").GetInt64());
        Assert.True(created.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(-1));

        // A price in the wrong place: a wishlist line cannot change what a product costs.
        using var customer = await host.CreateSignedInClientAsync("customer");
        var productId = created.GetProperty("id").GetInt64();
        using var wish = await customer.Http.PostAsJsonAsync("/api/wishlist", new { productId, price = 0.01m, userId = otherUser });
        Assert.Equal(HttpStatusCode.Created, wish.StatusCode);
        Assert.Equal(12.5m, await host.Database.ScalarAsync<decimal>($"select price from products where id = {productId}"));
        Assert.Equal(customer.UserId, await host.Database.ScalarAsync<long>($"select user_id from wishlist where product_id = {productId}"));
    }

    [Theory]
    [InlineData("customer")]
    [InlineData("support")]
    public async Task Roles_without_catalog_permissions_get_403(string role)
    {
        using var client = await host.CreateSignedInClientAsync(role);

        using var create = await client.Http.PostAsJsonAsync("/api/admin/catalog/products", new { name = "X", sku = "NOPE-1", price = 1 });
        using var brand = await client.Http.PostAsJsonAsync("/api/admin/catalog/brands", new { name = "Nope" });
        using var approve = await client.Http.PostAsync("/api/admin/catalog/reviews/1/approve", null);

        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, brand.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from products where sku = 'NOPE-1'"));
    }

    [Fact]
    public async Task Anonymous_admin_request_is_401()
    {
        using var response = await host.CreateClient().PostAsJsonAsync("/api/admin/catalog/products", new { name = "X", sku = "ANON-1", price = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string> MalformedProducts => new()
    {
        "{not json",
        "[]",
        """{"name": "Preço negativo", "sku": "NEG-1", "price": -1}""",
        """{"name": "Preço texto", "sku": "TXT-1", "price": "dez"}""",
        """{"name": "Sem sku", "price": 10}""",
        """{"name": "SKU ruim", "sku": "ab c'; drop table products;--", "price": 10}""",
        """{"name": "Slug ruim", "slug": "Slug Ruim!", "sku": "SLUG-1", "price": 10}""",
        "{\"name\": \"" + new string('x', 100_000) + "\", \"sku\": \"HUGE-1\", \"price\": 10}",
        """{"name": "Categoria inexistente", "sku": "CAT-404", "price": 10, "categoryId": 987654}""",
        """{"name": "Dimensões", "sku": "DIM-1", "price": 10, "dimensions": [1, 2]}""",
        """{"name": "Digital enviado", "sku": "DIG-1", "price": 10, "isDigital": true, "requiresShipping": true}""",
        """{"name": "Preço enorme", "sku": "BIG-1", "price": 1e30}""",
    };

    [Theory]
    [MemberData(nameof(MalformedProducts))]
    public async Task Malformed_product_bodies_get_4xx_and_write_nothing(string body)
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        var products = await host.Database.ScalarAsync<long>("select count(*) from products");
        var audits = await host.Database.ScalarAsync<long>("select count(*) from audit_logs where table_name = 'products'");

        using var response = await admin.Http.PostAsync("/api/admin/catalog/products", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(products, await host.Database.ScalarAsync<long>("select count(*) from products"));
        Assert.Equal(audits, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where table_name = 'products'"));
    }

    [Fact]
    public async Task Negative_price_reports_the_field()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");

        using var response = await admin.Http.PostAsJsonAsync("/api/admin/catalog/products", new { name = "Negativo", sku = "NEG-2", price = -10m, comparePrice = -1m });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("price", out _));
        Assert.True(errors.TryGetProperty("comparePrice", out _));
    }

    // The generic back-office handlers take their body as a type parameter; this proves the built-in
    // validation still checks it ([ValidatableType]) on both POST and PATCH, before the handler writes.
    [Fact]
    public async Task A_bad_body_is_refused_by_its_annotations_on_create_and_on_update()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        var productId = await host.Database.ScalarAsync<long>("select min(id) from products");
        var audits = await host.Database.ScalarAsync<long>("select count(*) from audit_logs where table_name = 'products'");

        using var create = await admin.Http.PostAsJsonAsync("/api/admin/catalog/products", new { name = "Slug ruim", slug = "Slug Ruim", sku = "SLUG-2", price = 10m });
        using var update = await admin.Http.PatchAsJsonAsync($"/api/admin/catalog/products/{productId}", new { price = 10.001m, weight = 2000m, name = " " });
        using var missing = await admin.Http.PostAsJsonAsync("/api/admin/catalog/products", new { description = "Sem nome" });

        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal("Lower-case letters, digits and single hyphens.", (await create.JsonAsync()).GetProperty("errors").GetProperty("slug")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, update.StatusCode);
        var errors = (await update.JsonAsync()).GetProperty("errors");
        Assert.Equal("From 0 to 1000000 with at most 2 decimals.", errors.GetProperty("price")[0].GetString());
        Assert.Equal("From 0 to 1000.", errors.GetProperty("weight")[0].GetString());
        Assert.Equal("Required.", errors.GetProperty("name")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(["name", "price", "sku"], (await missing.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(0, await host.Database.ScalarAsync<long>("select count(*) from products where sku = 'SLUG-2'"));
        Assert.Equal(audits, await host.Database.ScalarAsync<long>("select count(*) from audit_logs where table_name = 'products'"));
    }

    [Fact]
    public async Task Variants_images_attributes_categories_and_brands_round_trip_with_audit()
    {
        using var admin = await host.CreateSignedInClientAsync("admin");
        var anonymous = host.CreateClient();

        var brand = await (await admin.Http.PostAsJsonAsync("/api/admin/catalog/brands", new { name = "Torrefação Teste" })).JsonAsync();
        var parent = await host.Database.ScalarAsync<long>("select id from categories where slug = 'cafes'");
        var category = await (await admin.Http.PostAsJsonAsync("/api/admin/catalog/categories", new { name = "Fermentados", parentId = parent })).JsonAsync();
        var attribute = await (await admin.Http.PostAsJsonAsync("/api/admin/catalog/attributes", new { name = "Fermentação", type = "select", options = new[] { "Anaeróbica", "Aeróbica" }, isFilterable = true })).JsonAsync();
        var product = await (await admin.Http.PostAsJsonAsync("/api/admin/catalog/products", new
        {
            name = "Microlote Fermentado Teste", sku = "FERM-TESTE", price = 89m,
            categoryId = category.GetProperty("id").GetInt64(), brandId = brand.GetProperty("id").GetInt64(),
        })).JsonAsync();
        var productId = product.GetProperty("id").GetInt64();
        using var variant = await admin.Http.PostAsJsonAsync($"/api/admin/catalog/products/{productId}/variants",
            new { name = "250 g", sku = "FERM-TESTE-250", price = 89m, options = new { peso = "250 g" } });
        using var duplicateVariant = await admin.Http.PostAsJsonAsync($"/api/admin/catalog/products/{productId}/variants",
            new { name = "250 g bis", sku = "FERM-TESTE-250", price = 89m });
        using var image = await admin.Http.PostAsJsonAsync($"/api/admin/catalog/products/{productId}/images",
            new { imageUrl = "/images/products/ferm-teste.jpg", altText = "Pacote", isPrimary = true });
        using var value = await admin.Http.PutAsJsonAsync($"/api/admin/catalog/products/{productId}/attributes/{attribute.GetProperty("id").GetInt64()}",
            new { value = "Anaeróbica" });
        using var cycle = await admin.Http.PatchAsJsonAsync($"/api/admin/catalog/categories/{parent}", new { parentId = category.GetProperty("id").GetInt64() });

        Assert.Equal(HttpStatusCode.Created, variant.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicateVariant.StatusCode);
        Assert.Equal(HttpStatusCode.Created, image.StatusCode);
        Assert.Equal(HttpStatusCode.OK, value.StatusCode);
        Assert.Equal(422, (int)cycle.StatusCode);

        var detail = await anonymous.GetJsonAsync("/api/catalog/products/microlote-fermentado-teste");
        Assert.Equal("FERM-TESTE-250", detail.GetProperty("variants")[0].GetProperty("sku").GetString());
        Assert.True(detail.GetProperty("images")[0].GetProperty("isPrimary").GetBoolean());
        Assert.Contains(detail.GetProperty("attributes").EnumerateArray(), a => a.GetProperty("value").GetString() == "Anaeróbica");
        var inCafes = await anonymous.GetJsonAsync("/api/catalog/products?category=cafes&attr=Fermentação:anaerobica");
        Assert.Equal(["microlote-fermentado-teste"], inCafes.Slugs());

        using var deactivate = await admin.Http.DeleteAsync($"/api/admin/catalog/products/{productId}");
        Assert.Equal(HttpStatusCode.NoContent, deactivate.StatusCode);
        using var gone = await anonymous.GetAsync("/api/catalog/products/microlote-fermentado-teste");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(1, await host.Database.ScalarAsync<long>(
            $"select count(*) from audit_logs where action = 'catalog.product.deactivate' and record_id = {productId} and (old_values ->> 'is_active')::boolean and not (new_values ->> 'is_active')::boolean"));
        // One row per write that happened: the refused duplicate variant and category cycle write none.
        foreach (var action in new[] { "catalog.brand.create", "catalog.category.create", "catalog.attribute.create", "catalog.variant.create", "catalog.image.create", "catalog.attribute_value.set" })
        {
            Assert.True(await host.Database.ScalarAsync<long>($"select count(*) from audit_logs where action = '{action}' and user_id = {admin.UserId}") == 1, action);
        }

        Assert.Equal(0, await host.Database.ScalarAsync<long>($"select count(*) from audit_logs where action = 'catalog.category.update' and user_id = {admin.UserId}"));
    }
}
