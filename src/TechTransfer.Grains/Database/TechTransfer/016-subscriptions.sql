-- Saved searches (订阅): an account's search criteria, told of each newly published listing they find.
-- '*' means "any" in kind, tech_field, province and region, so a new listing finds its candidates with one index
-- probe per combination (value or '*': at most 16) instead of a scan over every subscription.
CREATE TABLE tt_subscription (
    id              text PRIMARY KEY,
    account_id      text NOT NULL,
    organization_id text NOT NULL,
    name            text NOT NULL,
    q               text NOT NULL,
    kind            text NOT NULL,
    tech_field      text NOT NULL,
    province        text NOT NULL,
    region          text NOT NULL,
    trl_min         integer NOT NULL DEFAULT 0,
    price_max       numeric(14, 2),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tt_subscription_account ON tt_subscription (account_id, created_at DESC, id);
CREATE INDEX tt_subscription_probe ON tt_subscription (tech_field, province, region, kind);

-- One row per (subscription, listing) it found: the notice is due until the owner's inbox holds it (as
-- tt_match.announce_due: stored before it is announced; SubscriptionOutbox announces what a crash left due).
-- The rows are also the subscription's results.
CREATE TABLE tt_subscription_hit (
    subscription_id text NOT NULL REFERENCES tt_subscription (id) ON DELETE CASCADE,
    listing_id      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    announce_due    timestamptz,
    PRIMARY KEY (subscription_id, listing_id)
);
CREATE INDEX tt_subscription_hit_recent ON tt_subscription_hit (subscription_id, created_at DESC);
CREATE INDEX tt_subscription_hit_due ON tt_subscription_hit (announce_due) WHERE announce_due IS NOT NULL;
