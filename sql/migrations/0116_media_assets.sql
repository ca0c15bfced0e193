-- 0116: uploaded media (images for products, posts and courses). Each file is stored once, by the
-- SHA-256 of its bytes, in a folder on disk (Media:RootPath), not in PostgreSQL: images are
-- immutable blobs read far more than written, so keeping them out of the database keeps its
-- backups, WAL and point-in-time restores small, and the server sends them straight from the
-- file system with a year's cache (the name changes whenever the content does). A row records
-- what was checked on upload: the type found in the bytes, the size, the dimensions, and the
-- resized copies made (media_asset_variants). Several servers share the folder (a shared volume).

create table media_assets (
    id              bigint generated always as identity primary key,
    sha256          char(64) not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
    content_type    varchar(50) not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
    purpose         varchar(20) not null check (purpose in ('product', 'blog', 'course')),
    original_name   varchar(255),
    byte_size       integer not null check (byte_size > 0),
    width           integer not null check (width > 0),
    height          integer not null check (height > 0),
    uploaded_by     bigint references users (id) on delete set null,
    created_at      timestamptz not null default now()
);

create index idx_media_assets_created on media_assets (created_at desc);

create table media_asset_variants (
    asset_id        bigint not null references media_assets (id) on delete cascade,
    width           integer not null check (width > 0),
    height          integer not null check (height > 0),
    byte_size       integer not null check (byte_size > 0),
    primary key (asset_id, width)
);
