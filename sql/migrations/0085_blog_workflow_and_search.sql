-- 0085: the blog's editorial workflow and its search.
-- Posts move draft -> review -> published (or scheduled with a time) -> unpublished
-- (BlogPostLifecycle). A post is live when its status is published or scheduled and its
-- published_at has come: the read side asks PostgreSQL's clock, so a scheduled post goes live at its
-- time on every server, whether or not the sweep that flips its status has run yet.

alter table blog_posts drop constraint blog_posts_status_check;
alter table blog_posts add constraint blog_posts_status_check
    check (status in ('draft', 'review', 'scheduled', 'published', 'unpublished', 'archived'));

-- The document a search ranks: title (A) above excerpt (B) above body (C), accents ignored.
-- One function, so the index and the query can never spell it differently.
create function public.blog_post_document(title text, excerpt text, content text) returns tsvector
language sql immutable parallel safe as $$
    select setweight(to_tsvector('public.portuguese_unaccent'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('public.portuguese_unaccent'::regconfig, coalesce(excerpt, '')), 'B')
        || setweight(to_tsvector('public.portuguese_unaccent'::regconfig, coalesce(content, '')), 'C')
$$;

create index idx_blog_posts_document on blog_posts
    using gin (public.blog_post_document(title, excerpt, content));

-- Live posts, newest first (list, feed, sitemap), and the next scheduled time (cache staleness).
create index idx_blog_posts_live on blog_posts (published_at desc) where status in ('published', 'scheduled');
