using System.Text.Json;
using Dapper;
using MestresCafe.Content;
using MestresCafe.Data.Admin;
using MestresCafe.Data.Audit;
using Npgsql;

namespace MestresCafe.Data.Content;

/// <summary>
/// The blog's back office: posts with their categories and tags, status moves decided by
/// <see cref="BlogPostLifecycle"/>, categories and tags. Every write runs in the caller's
/// <see cref="WriteScope"/> with its audit row.
/// </summary>
public sealed class BlogAdminStore(NpgsqlDataSource dataSource)
{
    private const string AdminColumns =
        """
        p.id, p.title, p.slug, p.excerpt, p.content, p.featured_image, p.status, p.published_at, p.seo_data, p.view_count, p.author_id,
        array(select category_id from blog_post_categories where post_id = p.id order by category_id) as category_ids,
        array(select tag_id from blog_post_tags where post_id = p.id order by tag_id) as tag_ids,
        p.created_at, p.updated_at
        """;

    public async Task<IReadOnlyList<BlogPostAdminView>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<BlogPostAdminView>(new CommandDefinition(
            $"select {AdminColumns} from blog_posts p where @status::text is null or p.status = @status order by p.updated_at desc, p.id desc limit @limit",
            new { status, limit }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<BlogPostAdminView?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<BlogPostAdminView>(new CommandDefinition(
            $"select {AdminColumns} from blog_posts p where p.id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>A new draft by <paramref name="authorId"/>.</summary>
    public async Task<RowChange> CreateAsync(WriteScope write, BlogPostFields fields, long authorId, CancellationToken cancellationToken)
    {
        var id = await write.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            insert into blog_posts (title, slug, excerpt, content, featured_image, seo_data, author_id)
            values (@Title, @Slug, @Excerpt, @Content, @FeaturedImage, @SeoJson::jsonb, @authorId) returning id
            """, new { fields.Title, fields.Slug, fields.Excerpt, fields.Content, fields.FeaturedImage, fields.SeoJson, authorId },
            write.Transaction, cancellationToken: cancellationToken));
        await ReplaceTermsAsync(write, id, fields, cancellationToken);
        return new RowChange(id, null, await ImageAsync(write, id, cancellationToken));
    }

    /// <summary>Replaces the editable fields, in any state; null when there is no such post.</summary>
    public async Task<RowChange?> UpdateAsync(WriteScope write, long id, BlogPostFields fields, CancellationToken cancellationToken)
    {
        var before = await ImageAsync(write, id, cancellationToken, forUpdate: true);
        if (before is null)
        {
            return null;
        }

        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            update blog_posts set title = @Title, slug = @Slug, excerpt = @Excerpt, content = @Content,
                   featured_image = @FeaturedImage, seo_data = @SeoJson::jsonb
            where id = @id
            """, new { id, fields.Title, fields.Slug, fields.Excerpt, fields.Content, fields.FeaturedImage, fields.SeoJson },
            write.Transaction, cancellationToken: cancellationToken));
        await ReplaceTermsAsync(write, id, fields, cancellationToken);
        return new RowChange(id, before, await ImageAsync(write, id, cancellationToken));
    }

    /// <summary>
    /// Applies one workflow move to the post, decided on its locked row against PostgreSQL's clock
    /// (the clock that decides liveness for readers). Null when there is no such post.
    /// </summary>
    public async Task<(RowChange? Change, string? Refusal)> MoveAsync(
        WriteScope write, long id, Func<BlogPostState, DateTimeOffset, BlogPostMove> move, CancellationToken cancellationToken)
    {
        var row = await write.Connection.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(
            "select status, published_at, now() as now from blog_posts where id = @id for update",
            new { id }, write.Transaction, cancellationToken: cancellationToken));
        if (row is null || !SnakeCaseNames.TryParse<BlogPostStatus>(row.Status, out var status))
        {
            return (null, null);
        }

        var decision = move(new BlogPostState(status, row.PublishedAt), row.Now);
        if (decision.Next is not { } next)
        {
            return (null, decision.Refusal);
        }

        var before = await ImageAsync(write, id, cancellationToken);
        await write.Connection.ExecuteAsync(new CommandDefinition(
            "update blog_posts set status = @status, published_at = @publishedAt where id = @id",
            new { id, status = next.Status.ToSnakeCase(), publishedAt = next.PublishedAt }, write.Transaction, cancellationToken: cancellationToken));
        return (new RowChange(id, before, await ImageAsync(write, id, cancellationToken)), null);
    }

    /// <summary>
    /// Records as published every scheduled post whose time has come (<see cref="BlogPostLifecycle.GoLive"/>
    /// in one statement), each with its audit row; readers already see them, this makes the status say so.
    /// </summary>
    public async Task<IReadOnlyList<long>> PublishDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var published = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            update blog_posts set status = 'published'
            where status = 'scheduled' and published_at <= now()
            returning id
            """, transaction: transaction, cancellationToken: cancellationToken))).AsList();
        foreach (var id in published)
        {
            await AuditTrail.WriteAsync(connection, transaction,
                new AuditEntry("blog_post.go_live", "blog_posts", id, new { status = "scheduled" }, new { status = "published" }), AuditActor.System, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return published;
    }

    /// <summary>Adds counted views to posts in one statement; returns the rows changed.</summary>
    public async Task<int> AddViewsAsync(IReadOnlyList<long> postIds, IReadOnlyList<int> views, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            update blog_posts p set view_count = p.view_count + v.views
            from unnest(@postIds, @views) as v(id, views) where p.id = v.id
            """, new { postIds = postIds.ToArray(), views = views.ToArray() }, cancellationToken: cancellationToken));
    }

    public async Task<RowChange> CreateTermAsync(WriteScope write, BlogTermKind kind, string name, string slug, string? description, CancellationToken cancellationToken)
    {
        var table = kind == BlogTermKind.Category ? "blog_categories" : "blog_tags";
        var row = await write.Connection.QuerySingleAsync<JsonRow>(new CommandDefinition(
            $"insert into {table} as t (name, slug, description) values (@name, @slug, @description) returning t.id, to_jsonb(t)::text as row",
            new { name, slug, description }, write.Transaction, cancellationToken: cancellationToken));
        return new RowChange(row.Id, null, row.Row);
    }

    private static async Task ReplaceTermsAsync(WriteScope write, long id, BlogPostFields fields, CancellationToken cancellationToken)
    {
        // Unknown ids fail the foreign key: the writer answers 422 and nothing is kept.
        await write.Connection.ExecuteAsync(new CommandDefinition(
            """
            delete from blog_post_categories where post_id = @id and category_id <> all(@categoryIds);
            insert into blog_post_categories (post_id, category_id) select @id, unnest(@categoryIds) on conflict do nothing;
            delete from blog_post_tags where post_id = @id and tag_id <> all(@tagIds);
            insert into blog_post_tags (post_id, tag_id) select @id, unnest(@tagIds) on conflict do nothing;
            """, new { id, categoryIds = fields.CategoryIds.Distinct().ToArray(), tagIds = fields.TagIds.Distinct().ToArray() },
            write.Transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The post's row with its term ids, as the audit trail keeps it; null when there is no such post.</summary>
    private static async Task<JsonElement?> ImageAsync(WriteScope write, long id, CancellationToken cancellationToken, bool forUpdate = false)
    {
        if (forUpdate && await write.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "select id from blog_posts where id = @id for update", new { id }, write.Transaction, cancellationToken: cancellationToken)) is null)
        {
            return null;
        }

        var json = await write.Connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            $"select to_jsonb(x)::text from (select {AdminColumns} from blog_posts p where p.id = @id) x",
            new { id }, write.Transaction, cancellationToken: cancellationToken));
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private sealed record StateRow
    {
        public string Status { get; init; } = "";
        public DateTimeOffset? PublishedAt { get; init; }
        public DateTimeOffset Now { get; init; }
    }
}

public enum BlogTermKind
{
    Category,
    Tag,
}
