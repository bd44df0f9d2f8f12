-- The queryable face of deal grains (brokers' lead queues, a party's deals). Derived: the grain state is the truth.
CREATE TABLE tt_deal (
    id                   text PRIMARY KEY,
    achievement_id       text NOT NULL,
    demand_id            text NOT NULL,
    achievement_org      text NOT NULL,
    demand_org           text NOT NULL,
    achievement_region   text,
    demand_region        text,
    achievement_title    text NOT NULL,
    demand_title         text NOT NULL,
    score                integer NOT NULL,
    stage                text NOT NULL,
    achievement_interest boolean NOT NULL,
    demand_interest      boolean NOT NULL,
    claimed_by           text,
    leading_region       text,
    stale                boolean NOT NULL DEFAULT false,
    last_activity_at     timestamptz NOT NULL,
    version              integer NOT NULL
);
CREATE INDEX tt_deal_achievement_region ON tt_deal (achievement_region, stage, last_activity_at DESC);
CREATE INDEX tt_deal_demand_region ON tt_deal (demand_region, stage, last_activity_at DESC);
CREATE INDEX tt_deal_achievement_org ON tt_deal (achievement_org, last_activity_at DESC);
CREATE INDEX tt_deal_demand_org ON tt_deal (demand_org, last_activity_at DESC);
