-- 0018: content domain (11 tables): blog_posts, blog_categories, blog_tags, blog_post_categories,
-- blog_post_tags, blog_comments, courses, course_modules, course_lessons, course_enrollments,
-- lesson_progress.

create table blog_categories (
    id              bigint generated always as identity primary key,
    name            varchar(120) not null,
    slug            varchar(140) not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    description     text,
    image_url       varchar(500),
    parent_id       bigint references blog_categories (id) on delete restrict,
    sort_order      integer not null default 0,
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint ck_blog_categories_not_own_parent check (parent_id is null or parent_id <> id)
);

create index idx_blog_categories_parent on blog_categories (parent_id, sort_order);

create table blog_tags (
    id              bigint generated always as identity primary key,
    name            varchar(80) not null,
    slug            varchar(100) not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    description     text,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table blog_posts (
    id              bigint generated always as identity primary key,
    title           varchar(255) not null,
    slug            varchar(255) not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    excerpt         text,
    content         text not null default '',
    featured_image  varchar(500),
    status          varchar(20) not null default 'draft'
                    check (status in ('draft', 'scheduled', 'published', 'archived')),
    published_at    timestamptz,
    seo_data        jsonb not null default '{}'::jsonb check (jsonb_typeof(seo_data) = 'object'),
    view_count      integer not null default 0 check (view_count >= 0),
    author_id       bigint references users (id) on delete set null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint ck_blog_posts_published_has_date
        check (status not in ('published', 'scheduled') or published_at is not null)
);

create index idx_blog_posts_published on blog_posts (published_at desc) where status = 'published';
create index idx_blog_posts_author on blog_posts (author_id);
-- from the document, with portuguese_unaccent and coalesce (see idx_products_search)
create index idx_blog_posts_search on blog_posts using gin (
    to_tsvector('public.portuguese_unaccent'::regconfig, coalesce(title, '') || ' ' || coalesce(content, '')));

create table blog_post_categories (
    id              bigint generated always as identity primary key,
    post_id         bigint not null references blog_posts (id) on delete cascade,
    category_id     bigint not null references blog_categories (id) on delete cascade,
    created_at      timestamptz not null default now(),
    constraint uq_blog_post_categories unique (post_id, category_id)
);

create index idx_blog_post_categories_category on blog_post_categories (category_id);

create table blog_post_tags (
    id              bigint generated always as identity primary key,
    post_id         bigint not null references blog_posts (id) on delete cascade,
    tag_id          bigint not null references blog_tags (id) on delete cascade,
    created_at      timestamptz not null default now(),
    constraint uq_blog_post_tags unique (post_id, tag_id)
);

create index idx_blog_post_tags_tag on blog_post_tags (tag_id);

create table blog_comments (
    id              bigint generated always as identity primary key,
    post_id         bigint not null references blog_posts (id) on delete cascade,
    user_id         bigint references users (id) on delete set null,
    parent_id       bigint references blog_comments (id) on delete cascade,
    content         text not null,
    status          varchar(20) not null default 'pending'
                    check (status in ('pending', 'approved', 'rejected', 'spam')),
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint ck_blog_comments_not_own_parent check (parent_id is null or parent_id <> id)
);

create index idx_blog_comments_post on blog_comments (post_id, created_at) where status = 'approved';
create index idx_blog_comments_user on blog_comments (user_id);
create index idx_blog_comments_parent on blog_comments (parent_id);
create index idx_blog_comments_moderation on blog_comments (created_at) where status = 'pending';

create table courses (
    id                  bigint generated always as identity primary key,
    title               varchar(255) not null,
    slug                varchar(255) not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    description         text,
    featured_image      varchar(500),
    price               numeric(12,2) not null default 0 check (price >= 0),
    difficulty_level    varchar(20) not null default 'beginner'
                        check (difficulty_level in ('beginner', 'intermediate', 'advanced')),
    duration_hours      integer check (duration_hours >= 0),
    status              varchar(20) not null default 'draft'
                        check (status in ('draft', 'published', 'archived')),
    instructor_id       bigint references users (id) on delete set null,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    -- addition: the catalog product (is_digital) through which the course is sold; checkout
    -- charges the product's price, like any other item
    product_id          bigint unique references products (id) on delete set null
);

create index idx_courses_instructor on courses (instructor_id);

create table course_modules (
    id              bigint generated always as identity primary key,
    course_id       bigint not null references courses (id) on delete cascade,
    title           varchar(255) not null,
    description     text,
    sort_order      integer not null default 0,
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint uq_course_modules_course_title unique (course_id, title)
);

create index idx_course_modules_course on course_modules (course_id, sort_order);

create table course_lessons (
    id                  bigint generated always as identity primary key,
    module_id           bigint not null references course_modules (id) on delete cascade,
    title               varchar(255) not null,
    content             text,
    video_url           varchar(500),
    duration_minutes    integer check (duration_minutes >= 0),
    sort_order          integer not null default 0,
    is_free             boolean not null default false,
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    constraint uq_course_lessons_module_title unique (module_id, title)
);

create index idx_course_lessons_module on course_lessons (module_id, sort_order);

create table course_enrollments (
    id                  bigint generated always as identity primary key,
    course_id           bigint not null references courses (id) on delete restrict,
    user_id             bigint not null references users (id) on delete cascade,
    price_paid          numeric(12,2) not null default 0 check (price_paid >= 0),
    enrolled_at         timestamptz not null default now(),
    completed_at        timestamptz,
    progress_percentage integer not null default 0 check (progress_percentage between 0 and 100),
    is_active           boolean not null default true,
    constraint uq_course_enrollments_course_user unique (course_id, user_id),
    constraint ck_course_enrollments_completed
        check (completed_at is null or progress_percentage = 100)
);

create index idx_course_enrollments_user on course_enrollments (user_id);

create table lesson_progress (
    id                  bigint generated always as identity primary key,
    enrollment_id       bigint not null references course_enrollments (id) on delete cascade,
    lesson_id           bigint not null references course_lessons (id) on delete cascade,
    is_completed        boolean not null default false,
    completed_at        timestamptz,
    watch_time_seconds  integer not null default 0 check (watch_time_seconds >= 0),
    last_accessed       timestamptz not null default now(),
    constraint uq_lesson_progress_enrollment_lesson unique (enrollment_id, lesson_id),
    constraint ck_lesson_progress_completed check (is_completed = (completed_at is not null))
);

create index idx_lesson_progress_lesson on lesson_progress (lesson_id);

select public.ensure_updated_at_triggers();
