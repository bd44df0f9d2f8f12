-- Listing lists page by keyset (issue 20): newest first, ties broken by id, both descending, so that a page after a
-- cursor (updated_at, id) is one index range. The old indexes ordered by updated_at alone.
DROP INDEX tt_listing_kind_status;
DROP INDEX tt_listing_owner;
CREATE INDEX tt_listing_kind_status ON tt_listing (kind, status, updated_at DESC, id DESC);
CREATE INDEX tt_listing_owner ON tt_listing (owner_org, kind, updated_at DESC, id DESC);
