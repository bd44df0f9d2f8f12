-- The queryable projection of achievement and demand grains. Derived data: rebuilt from grain state by reindex.
CREATE TABLE tt_listing (
    id          text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('achievement', 'demand')),
    owner_org   text NOT NULL,
    status      text NOT NULL,
    title       text NOT NULL,
    province    text NOT NULL,
    region      text,
    tech_field  text NOT NULL,
    trl         integer NOT NULL,
    price       numeric(14, 2),
    updated_at  timestamptz NOT NULL,
    version     integer NOT NULL,
    external_id text,
    doc         jsonb NOT NULL
);
CREATE INDEX tt_listing_kind_status ON tt_listing (kind, status, updated_at DESC);
CREATE INDEX tt_listing_owner ON tt_listing (owner_org, kind, updated_at DESC);
CREATE INDEX tt_listing_region ON tt_listing (region, status);

-- Keys the hosts share (token signing), generated on first start so no secret lives in the repository.
CREATE TABLE tt_secret (
    name       text PRIMARY KEY,
    value      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
