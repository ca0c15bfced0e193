using Dapper;
using MestresCafe.Content;
using MestresCafe.Data.Admin;
using Npgsql;

namespace MestresCafe.Data.Content;

/// <summary>What a new comment is decided on: the live post, the author's account age, the comment answered.</summary>
public sealed record CommentContext(long PostId, DateTimeOffset AuthorSince, CommentParent? Parent, DateTimeOffset Now);

/// <summary>An approved comment as readers see it (the author's first name only).</summary>
public sealed record PublicComment
{
    public long Id { get; init; }
    public long? ParentId { get; init; }
    public string Author { get; init; } = "";
    public string Content { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A comment in the moderation queue.</summary>
public sealed record ModeratedComment
{
    public long Id { get; init; }
    public long PostId { get; init; }
    public string PostSlug { get; init; } = "";
    public long? ParentId { get; init; }
    public long? UserId { get; init; }
    public string Content { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Blog comments: written by signed-in customers on live posts, shown once approved.</summary>
public sealed class BlogCommentStore(NpgsqlDataSource dataSource)
{
    /// <summary>Null when the post is not live (or the user is gone).</summary>
    public async Task<CommentContext?> ContextAsync(WriteScope write, string slug, long userId, long? parentId, CancellationToken cancellationToken)
    {
        var row = await write.Connection.QuerySingleOrDefaultAsync<ContextRow>(new CommandDefinition(
            $"""
            select p.id as post_id, u.created_at as author_since, now() as now,
                   c.post_id as parent_post_id, c.parent_id as parent_parent_id, c.status as parent_status
            from blog_posts p
            join users u on u.id = @userId
            left join blog_comments c on c.id = @parentId
            where p.slug = @slug and {BlogQueries.LivePost}
            """, new { slug, userId, parentId }, write.Transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        CommentParent? parent = row.ParentPostId is { } parentPost && SnakeCaseNames.TryParse<CommentStatus>(row.ParentStatus, out var status)
            ? new CommentParent(parentPost, row.ParentParentId, status)
            : null;
        return new CommentContext(row.PostId, row.AuthorSince, parent, row.Now);
    }

    public async Task<RowChange> InsertAsync(WriteScope write, long postId, long userId, long? parentId, string content, CancellationToken cancellationToken)
    {
        var row = await write.Connection.QuerySingleAsync<JsonRow>(new CommandDefinition(
            """
            insert into blog_comments as c (post_id, user_id, parent_id, content) values (@postId, @userId, @parentId, @content)
            returning c.id, to_jsonb(c)::text as row
            """, new { postId, userId, parentId, content }, write.Transaction, cancellationToken: cancellationToken));
        return new RowChange(row.Id, null, row.Row);
    }

    /// <summary>Approved comments of a live post, oldest first; null when the post is not live.</summary>
    public async Task<IReadOnlyList<PublicComment>?> ApprovedAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var postId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"select p.id from blog_posts p where p.slug = @slug and {BlogQueries.LivePost}", new { slug }, cancellationToken: cancellationToken));
        if (postId is null)
        {
            return null;
        }

        return (await connection.QueryAsync<PublicComment>(new CommandDefinition(
            """
            select c.id, c.parent_id, coalesce(nullif(u.first_name, ''), 'Cliente') as author, c.content, c.created_at
            from blog_comments c left join users u on u.id = c.user_id
            where c.post_id = @postId and c.status = 'approved'
            order by c.created_at, c.id
            """, new { postId }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<IReadOnlyList<ModeratedComment>> ListAsync(string status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ModeratedComment>(new CommandDefinition(
            """
            select c.id, c.post_id, p.slug as post_slug, c.parent_id, c.user_id, c.content, c.status, c.created_at
            from blog_comments c join blog_posts p on p.id = c.post_id
            where c.status = @status order by c.created_at, c.id limit @limit
            """, new { status, limit }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Decides a comment (<see cref="CommentRules.CheckModeration"/>) on its locked row; null change when there is no such comment.</summary>
    public async Task<(RowChange? Change, string? Refusal)> ModerateAsync(WriteScope write, long id, CommentStatus to, CancellationToken cancellationToken)
    {
        var current = await write.Connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select status from blog_comments where id = @id for update", new { id }, write.Transaction, cancellationToken: cancellationToken));
        if (current is null || !SnakeCaseNames.TryParse<CommentStatus>(current, out var status))
        {
            return (null, null);
        }

        if (CommentRules.CheckModeration(status, to) is { } refusal)
        {
            return (null, refusal);
        }

        var row = await write.Connection.QuerySingleAsync<JsonRow>(new CommandDefinition(
            "update blog_comments as c set status = @to where id = @id returning c.id, to_jsonb(c)::text as row",
            new { id, to = to.ToSnakeCase() }, write.Transaction, cancellationToken: cancellationToken));
        return (new RowChange(id, System.Text.Json.JsonSerializer.SerializeToElement(new { status = current }), row.Row), null);
    }

    private sealed record ContextRow
    {
        public long PostId { get; init; }
        public DateTimeOffset AuthorSince { get; init; }
        public DateTimeOffset Now { get; init; }
        public long? ParentPostId { get; init; }
        public long? ParentParentId { get; init; }
        public string? ParentStatus { get; init; }
    }
}
