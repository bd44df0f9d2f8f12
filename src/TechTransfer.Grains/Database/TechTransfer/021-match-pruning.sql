-- MatchPruner (issue 20): a daily sweep reads the listings that left the market since the last one, by updated_at,
-- from this partial index rather than from every listing that ever left.
CREATE INDEX tt_listing_off_market ON tt_listing (updated_at) WHERE status NOT IN ('Draft', 'Published');
