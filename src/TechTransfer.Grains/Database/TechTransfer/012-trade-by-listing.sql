-- An achievement's or demand's page asks for its trades (is it in an open one, which): one index lookup.
CREATE INDEX IF NOT EXISTS tt_trade_listing ON tt_trade (listing_id, ends_at DESC);
