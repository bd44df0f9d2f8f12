-- Change feed for the per-host search replicas: every write to tt_listing takes the next sequence number
-- and wakes the listeners (NOTIFY tt_listing). A guarded upsert that changes nothing fires no trigger.
CREATE SEQUENCE tt_listing_seq;
ALTER TABLE tt_listing ADD COLUMN seq bigint NOT NULL DEFAULT 0;
UPDATE tt_listing SET seq = nextval('tt_listing_seq');
CREATE INDEX tt_listing_seq_idx ON tt_listing (seq);

CREATE FUNCTION tt_listing_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.seq := nextval('tt_listing_seq');
    PERFORM pg_notify('tt_listing', NEW.seq::text);
    RETURN NEW;
END
$$;
CREATE TRIGGER tt_listing_touch BEFORE INSERT OR UPDATE ON tt_listing FOR EACH ROW EXECUTE FUNCTION tt_listing_touch();

-- Matches found when a listing is published: one row per (achievement, demand), best explanation kept.
CREATE TABLE tt_match (
    id             text PRIMARY KEY,
    achievement_id text NOT NULL,
    demand_id      text NOT NULL,
    score          integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    explanation    jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (achievement_id, demand_id)
);
CREATE INDEX tt_match_achievement ON tt_match (achievement_id, score DESC);
CREATE INDEX tt_match_demand ON tt_match (demand_id, score DESC);
