-- 0019: gamification domain (7 tables): loyalty_programs, customer_loyalty, loyalty_transactions,
-- rewards, reward_redemptions, achievements, customer_achievements.
-- customer_loyalty, loyalty_transactions, reward_redemptions and customer_achievements are
-- projected by the customer loyalty account grain.

create table loyalty_programs (
    id              bigint generated always as identity primary key,
    name            varchar(100) not null unique,
    description     text,
    type            varchar(20) not null default 'points' check (type in ('points', 'tiered', 'cashback')),
    rules           jsonb not null default '{}'::jsonb check (jsonb_typeof(rules) = 'object'),
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

comment on column loyalty_programs.rules is 'Earning and tier rules, e.g. {"points_per_brl":1,"earn_on":"paid","tiers":[{"name":"Bronze","min_points":0,"multiplier":1.0},...],"window_months":12,"points_expire_months":24}.';

create table customer_loyalty (
    id              bigint generated always as identity primary key,
    customer_id     bigint not null references customers (id) on delete cascade,
    program_id      bigint not null references loyalty_programs (id) on delete restrict,
    points_balance  integer not null default 0 check (points_balance >= 0),
    points_earned   integer not null default 0 check (points_earned >= 0),
    points_redeemed integer not null default 0 check (points_redeemed >= 0),
    tier_level      varchar(30) not null,
    joined_at       timestamptz not null default now(),
    last_activity   timestamptz,
    -- addition: version of the loyalty grain state last projected (apply only newer versions)
    state_version   bigint not null default 0 check (state_version >= 0),
    -- natural key = the loyalty account grain's identity
    constraint uq_customer_loyalty_customer_program unique (customer_id, program_id),
    -- balance = earned - redeemed - expired - reversed, so it can never exceed earned - redeemed
    constraint ck_customer_loyalty_balance check (points_balance + points_redeemed <= points_earned)
);

comment on column customer_loyalty.points_earned is 'Lifetime credited points (earn, bonus, positive adjustments).';
comment on column customer_loyalty.points_redeemed is 'Lifetime points spent on rewards.';
comment on column customer_loyalty.tier_level is 'Name of a tier of loyalty_programs.rules.tiers (e.g. Bronze, Prata, Ouro, Diamante).';

create index idx_customer_loyalty_program_tier on customer_loyalty (program_id, tier_level);

create table loyalty_transactions (
    id                  bigint generated always as identity primary key,
    customer_loyalty_id bigint not null references customer_loyalty (id) on delete cascade,
    transaction_type    varchar(20) not null
                        check (transaction_type in ('earn', 'bonus', 'redeem', 'expire', 'reversal', 'adjust')),
    points_change       integer not null check (points_change <> 0),
    reason              varchar(255),
    reference_id        bigint,
    reference_type      varchar(30)
                        check (reference_type in ('order', 'return', 'reward_redemption', 'achievement',
                                                  'referral', 'review', 'course', 'manual')),
    created_at          timestamptz not null default now(),
    -- addition: id of the domain event (idempotent projection)
    event_id            uuid not null default gen_random_uuid() unique,
    constraint ck_loyalty_transactions_sign check (
        (transaction_type in ('earn', 'bonus') and points_change > 0)
        or (transaction_type in ('redeem', 'expire', 'reversal') and points_change < 0)
        or transaction_type = 'adjust'),
    constraint ck_loyalty_transactions_reference check (reference_id is null or reference_type is not null)
);

create index idx_loyalty_transactions_account on loyalty_transactions (customer_loyalty_id, created_at desc);
create index idx_loyalty_transactions_reference on loyalty_transactions (reference_type, reference_id)
    where reference_id is not null;

create table rewards (
    id              bigint generated always as identity primary key,
    name            varchar(150) not null unique,
    description     text,
    type            varchar(20) not null
                    check (type in ('discount', 'free_shipping', 'free_product', 'experience')),
    points_required integer not null check (points_required > 0),
    discount_value  numeric(12,2) check (discount_value >= 0),
    discount_type   varchar(20) check (discount_type in ('percentage', 'fixed_amount')),
    conditions      jsonb not null default '{}'::jsonb check (jsonb_typeof(conditions) = 'object'),
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint ck_rewards_discount check (
        (type <> 'discount' or (discount_value > 0 and discount_type is not null))
        and (discount_type is distinct from 'percentage' or discount_value <= 100))
);

create table reward_redemptions (
    id                  bigint generated always as identity primary key,
    customer_loyalty_id bigint not null references customer_loyalty (id) on delete cascade,
    reward_id           bigint not null references rewards (id) on delete restrict,
    points_used         integer not null check (points_used > 0),
    status              varchar(20) not null default 'pending'
                        check (status in ('pending', 'issued', 'used', 'expired', 'cancelled')),
    redeemed_at         timestamptz not null default now(),
    expires_at          timestamptz,
    order_id            bigint references orders (id) on delete set null,
    created_at          timestamptz not null default now(),
    -- addition: id of the redemption event (idempotent projection)
    event_id            uuid not null default gen_random_uuid() unique
);

create index idx_reward_redemptions_account on reward_redemptions (customer_loyalty_id, redeemed_at desc);
create index idx_reward_redemptions_reward on reward_redemptions (reward_id);
create index idx_reward_redemptions_order on reward_redemptions (order_id) where order_id is not null;

create table achievements (
    id              bigint generated always as identity primary key,
    name            varchar(150) not null unique,
    description     text,
    type            varchar(20) not null
                    check (type in ('purchase', 'spending', 'exploration', 'engagement', 'learning', 'referral')),
    criteria        jsonb not null default '{}'::jsonb check (jsonb_typeof(criteria) = 'object'),
    points_reward   integer not null default 0 check (points_reward >= 0),
    is_active       boolean not null default true,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now()
);

create table customer_achievements (
    id              bigint generated always as identity primary key,
    customer_id     bigint not null references customers (id) on delete cascade,
    achievement_id  bigint not null references achievements (id) on delete restrict,
    earned_at       timestamptz not null default now(),
    is_claimed      boolean not null default false,
    claimed_at      timestamptz,
    -- natural key: an achievement is earned once (idempotent projection)
    constraint uq_customer_achievements unique (customer_id, achievement_id),
    constraint ck_customer_achievements_claimed check (is_claimed = (claimed_at is not null))
);

create index idx_customer_achievements_achievement on customer_achievements (achievement_id);

select public.ensure_updated_at_triggers();
