-- Each region's published listings, counted as tt_listing changes (issue 20): a regional center reads two numbers
-- instead of loading the id of every published listing of its region when it activates. Exact under replays: only a
-- row that really enters or leaves Published (or moves region) changes a count, in the same transaction.
CREATE TABLE tt_region_listing_count (
    region    text NOT NULL,
    kind      text NOT NULL,
    published bigint NOT NULL,
    PRIMARY KEY (region, kind)
);
INSERT INTO tt_region_listing_count (region, kind, published)
SELECT region, kind, count(*) FROM tt_listing WHERE status = 'Published' AND region IS NOT NULL GROUP BY region, kind;

CREATE FUNCTION tt_region_listing_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := TG_OP = 'UPDATE' AND OLD.status = 'Published' AND OLD.region IS NOT NULL;
    is_now boolean := NEW.status = 'Published' AND NEW.region IS NOT NULL;
BEGIN
    IF was AND is_now AND OLD.region = NEW.region AND OLD.kind = NEW.kind THEN RETURN NULL; END IF;
    IF was THEN
        UPDATE tt_region_listing_count SET published = published - 1 WHERE region = OLD.region AND kind = OLD.kind;
    END IF;
    IF is_now THEN
        INSERT INTO tt_region_listing_count (region, kind, published) VALUES (NEW.region, NEW.kind, 1)
        ON CONFLICT (region, kind) DO UPDATE SET published = tt_region_listing_count.published + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER tt_region_listing_count_track AFTER INSERT OR UPDATE ON tt_listing
    FOR EACH ROW EXECUTE FUNCTION tt_region_listing_count_track();
