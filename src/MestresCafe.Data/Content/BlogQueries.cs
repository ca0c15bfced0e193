using Dapper;
using MestresCafe.Data.Catalog;
using Npgsql;

namespace MestresCafe.Data.Content;

/// <summary>
/// The public blog: live posts by category or tag, one by slug, related posts, search, the terms,
/// the feed and the sitemap. "Live" is one rule, <see cref="LivePost"/>, read against PostgreSQL's
/// clock, the same on every server (the SQL twin of <c>BlogPostLifecycle.IsLive</c>).
/// </summary>
public sealed class BlogQueries(NpgsqlDataSource dataSource)
{
    /// <summary>A post readers may see now: published, or scheduled and its time has come.</summary>
    public const string LivePost = "p.status in ('published', 'scheduled') and p.published_at <= now()";

    private const string SummaryColumns =
        """
        p.id, p.title, p.slug, p.excerpt, p.featured_image, p.published_at,
        nullif(trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')), '') as author_name,
        array(select c.slug from blog_post_categories pc join blog_categories c on c.id = pc.category_id
              where pc.post_id = p.id order by c.sort_order, c.name) as categories,
        array(select t.slug from blog_post_tags pt join blog_tags t on t.id = pt.tag_id
              where pt.post_id = p.id order by t.name) as tags
        """;

    /// <summary>Live posts, newest first, optionally of one category (or its subcategories' parent) and one tag.</summary>
    public async Task<PagedResult<BlogPostSummary>> ListAsync(string? category, string? tag, int page, int pageSize, CancellationToken cancellationToken)
    {
        var parameters = new { category, tag, limit = pageSize, offset = (page - 1) * pageSize };
        const string Filter =
            $"""
            from blog_posts p left join users u on u.id = p.author_id
            where {LivePost}
              and (@category::text is null or exists (
                  select 1 from blog_post_categories pc join blog_categories c on c.id = pc.category_id
                  where pc.post_id = p.id and c.is_active and c.slug = @category))
              and (@tag::text is null or exists (
                  select 1 from blog_post_tags pt join blog_tags t on t.id = pt.tag_id where pt.post_id = p.id and t.slug = @tag))
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select count(*) " + Filter, parameters, cancellationToken: cancellationToken));
        var items = await connection.QueryAsync<BlogPostSummary>(new CommandDefinition(
            $"select {SummaryColumns} {Filter} order by p.published_at desc, p.id desc limit @limit offset @offset",
            parameters, cancellationToken: cancellationToken));
        return new PagedResult<BlogPostSummary>(items.AsList(), page, pageSize, total);
    }

    public async Task<BlogPostRow?> GetBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<BlogPostRow>(new CommandDefinition(
            $"""
            select p.id, p.title, p.slug, p.excerpt, p.content, p.featured_image, p.published_at, p.updated_at, p.seo_data, p.view_count,
                   nullif(trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')), '') as author_name,
                   coalesce((select jsonb_agg(jsonb_build_object('slug', c.slug, 'name', c.name) order by c.sort_order, c.name)
                             from blog_post_categories pc join blog_categories c on c.id = pc.category_id where pc.post_id = p.id), '[]') as categories,
                   coalesce((select jsonb_agg(jsonb_build_object('slug', t.slug, 'name', t.name) order by t.name)
                             from blog_post_tags pt join blog_tags t on t.id = pt.tag_id where pt.post_id = p.id), '[]') as tags
            from blog_posts p left join users u on u.id = p.author_id
            where p.slug = @slug and {LivePost}
            """, new { slug }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Live posts sharing the most tags (each worth two) and categories (one) with the post, newest
    /// first among equals; posts sharing nothing are not related.
    /// </summary>
    public async Task<IReadOnlyList<BlogPostSummary>> RelatedAsync(string slug, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<BlogPostSummary>(new CommandDefinition(
            $"""
            with origin as (select id from blog_posts where slug = @slug),
            shared as (
                select pt.post_id, 2 as weight from blog_post_tags pt
                where pt.tag_id in (select tag_id from blog_post_tags where post_id = (select id from origin))
                union all
                select pc.post_id, 1 from blog_post_categories pc
                where pc.category_id in (select category_id from blog_post_categories where post_id = (select id from origin))),
            scored as (select post_id, sum(weight) as score from shared where post_id <> (select id from origin) group by post_id)
            select {SummaryColumns}
            from scored s join blog_posts p on p.id = s.post_id left join users u on u.id = p.author_id
            where {LivePost}
            order by s.score desc, p.published_at desc, p.id desc limit @limit
            """, new { slug, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Portuguese full-text search over title, excerpt and body with accents ignored
    /// (<c>blog_post_document</c>, indexed): posts whose title matches come first, then by rank.
    /// </summary>
    public async Task<PagedResult<BlogPostSummary>> SearchAsync(string text, int page, int pageSize, CancellationToken cancellationToken)
    {
        var parameters = new { text, limit = pageSize, offset = (page - 1) * pageSize };
        const string Matches =
            $"""
            from blog_posts p left join users u on u.id = p.author_id,
                 websearch_to_tsquery('public.portuguese_unaccent', @text) as q
            where {LivePost} and public.blog_post_document(p.title, p.excerpt, p.content) @@ q
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition("select count(*) " + Matches, parameters, cancellationToken: cancellationToken));
        var items = await connection.QueryAsync<BlogPostSummary>(new CommandDefinition(
            $"""
            select {SummaryColumns}, ts_rank(public.blog_post_document(p.title, p.excerpt, p.content), q)::float8 as rank
            {Matches}
            order by to_tsvector('public.portuguese_unaccent', p.title) @@ q desc, rank desc, p.published_at desc, p.id desc
            limit @limit offset @offset
            """, parameters, cancellationToken: cancellationToken));
        return new PagedResult<BlogPostSummary>(items.AsList(), page, pageSize, total);
    }

    public Task<IReadOnlyList<BlogTermView>> CategoriesAsync(CancellationToken cancellationToken) =>
        TermsAsync("blog_categories", "blog_post_categories", "category_id", "where t.is_active order by t.sort_order, t.name", cancellationToken);

    public Task<IReadOnlyList<BlogTermView>> TagsAsync(CancellationToken cancellationToken) =>
        TermsAsync("blog_tags", "blog_post_tags", "tag_id", "order by t.name", cancellationToken);

    /// <summary>Categories or tags (<paramref name="table"/>, linked to posts by <paramref name="links"/>) with their live posts counted.</summary>
    private async Task<IReadOnlyList<BlogTermView>> TermsAsync(string table, string links, string key, string filterAndOrder, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<BlogTermView>(new CommandDefinition(
            $"""
            select t.id, t.name, t.slug, t.description,
                   (select count(*) from {links} l join blog_posts p on p.id = l.post_id where l.{key} = t.id and {LivePost})::int as post_count
            from {table} t {filterAndOrder}
            """, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// When the next scheduled post goes live (null when none is waiting): cached blog data read
    /// before that time is stale from then on.
    /// </summary>
    public async Task<DateTimeOffset?> NextScheduledAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(
            "select min(p.published_at) from blog_posts p where p.status = 'scheduled' and p.published_at > now()",
            cancellationToken: cancellationToken));
    }

    /// <summary>Every public page: active products, active catalog and blog categories, live posts and published courses.</summary>
    public async Task<IReadOnlyList<SitemapEntry>> SitemapAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<SitemapEntry>(new CommandDefinition(
            $"""
            select 'product' as kind, slug, updated_at as last_modified from products where is_active
            union all select 'category', slug, updated_at from categories where is_active
            union all select 'blog_category', slug, updated_at from blog_categories where is_active
            union all select 'post', p.slug, greatest(p.updated_at, p.published_at) from blog_posts p where {LivePost}
            union all select 'course', slug, updated_at from courses where status = 'published'
            order by 1, 2
            """, cancellationToken: cancellationToken))).AsList();
    }
}
