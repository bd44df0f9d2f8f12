-- A match is stored before it is announced; announce_due is set while the announcement is outstanding and
-- cleared once every inbox holds it. A publish whose announcement failed mid-outage may be retried and rank
-- other partners higher, so nothing else would ever announce the first one: every host sweeps the rows whose
-- due time has passed (MatchOutbox). Rows stored before this migration count as announced.
ALTER TABLE tt_match ADD COLUMN announce_due timestamptz;
CREATE INDEX tt_match_unannounced ON tt_match (announce_due) WHERE announce_due IS NOT NULL;
