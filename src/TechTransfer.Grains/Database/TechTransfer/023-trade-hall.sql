-- The trading hall (issue 20): its three parts are each one index range instead of a scan and sort of tt_trade.
-- Live trades by end (an offer that ran out leaves the range as time passes: ends_at > now()), live ones already past
-- their end that a grain is about to close, and (tt_trade_ends) the ended ones, latest first.
CREATE INDEX tt_trade_live ON tt_trade (ends_at) WHERE status IN ('Open', 'Scheduled');
CREATE INDEX tt_trade_overdue ON tt_trade (ends_at) WHERE status = 'Scheduled' OR (status = 'Open' AND kind <> 'FixedPriceListing');
