-- 0086: the coffee school: which lessons count for completion, their materials, where a learner
-- stopped, the order that sold an enrolment (a refund of it removes access) and the completion
-- certificates with their public verification codes.

alter table course_lessons
    add column is_required boolean not null default true,
    add column materials jsonb not null default '[]'::jsonb check (jsonb_typeof(materials) = 'array');

alter table lesson_progress
    add column started_at timestamptz not null default now(),
    add column last_position_seconds integer not null default 0 check (last_position_seconds >= 0);

-- An enrolment sold by an order: the order projection grants it when the order is paid and takes
-- it back when the order is refunded in full or cancelled after payment.
alter table course_enrollments
    add column order_id bigint references orders (id) on delete set null,
    add column access_revoked_at timestamptz;

create index idx_course_enrollments_order on course_enrollments (order_id) where order_id is not null;
create index idx_course_enrollments_course on course_enrollments (course_id, completed_at);

-- One certificate per completed enrolment; the code is what anyone checks at the public URL.
-- Name and title are kept as printed, so a later rename does not change what was certified.
create table course_certificates (
    id                  bigint generated always as identity primary key,
    enrollment_id       bigint not null unique references course_enrollments (id) on delete cascade,
    verification_code   varchar(14) not null unique check (verification_code ~ '^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$'),
    student_name        varchar(255) not null,
    course_title        varchar(255) not null,
    completed_at        timestamptz not null,
    issued_at           timestamptz not null default now()
);
