-- An exact change feed for the search replicas (issue 17, item 11). Before: the BEFORE trigger took a sequence number
-- before commit and the replicas re-read only 512 numbers back, so a write that committed after 512 later numbers
-- was never indexed anywhere; and PostgreSQL fires BEFORE INSERT triggers on INSERT … ON CONFLICT even when the
-- guarded update changes nothing, so every no-op upsert burned a number and sent a NOTIFY.
--
-- Now every row carries the id of the transaction that wrote it (xid). A replica reads in a snapshot and keeps that
-- snapshot as its position; next time it reads the rows whose transaction that snapshot could not see (xid at or
-- above its xmax, or in its in-progress list): exactly what committed since, however late. seq only orders pages.
ALTER TABLE tt_listing ADD COLUMN xid xid8; -- NULL on older rows: committed long ago, read by every full load
CREATE INDEX tt_listing_xid_idx ON tt_listing (xid);

DROP TRIGGER tt_listing_touch ON tt_listing;
DROP FUNCTION tt_listing_touch();

-- A BEFORE INSERT trigger also fires for a row that ON CONFLICT then turns into an update or nothing, so the projection's
-- statement proposes no row when tt_listing already holds its version (ListingProjection.UpsertAsync). (A lookup here
-- instead would run on a plan cached while the table was small: a sequential scan per insert: 200k inserts
-- had not finished after 11 minutes here.)
CREATE FUNCTION tt_listing_stamp_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.seq := nextval('tt_listing_seq');
    NEW.xid := pg_current_xact_id();
    RETURN NEW;
END
$$;

-- Fires only when the row is really updated (an ON CONFLICT update whose WHERE fails never gets here).
CREATE FUNCTION tt_listing_stamp_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW IS NOT DISTINCT FROM OLD THEN RETURN NEW; END IF;
    NEW.seq := nextval('tt_listing_seq');
    NEW.xid := pg_current_xact_id();
    RETURN NEW;
END
$$;

-- AFTER triggers fire only for rows really written: one wake-up per change, none for a no-op.
CREATE FUNCTION tt_listing_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('tt_listing', NEW.seq::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER tt_listing_stamp_insert BEFORE INSERT ON tt_listing FOR EACH ROW EXECUTE FUNCTION tt_listing_stamp_insert();
CREATE TRIGGER tt_listing_stamp_update BEFORE UPDATE ON tt_listing FOR EACH ROW EXECUTE FUNCTION tt_listing_stamp_update();
CREATE TRIGGER tt_listing_notify_insert AFTER INSERT ON tt_listing FOR EACH ROW EXECUTE FUNCTION tt_listing_notify();
CREATE TRIGGER tt_listing_notify_update AFTER UPDATE ON tt_listing FOR EACH ROW
    WHEN (OLD.seq IS DISTINCT FROM NEW.seq) EXECUTE FUNCTION tt_listing_notify();
