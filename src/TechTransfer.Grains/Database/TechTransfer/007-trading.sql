-- Open trading (挂牌 / 拍卖 / 招标).

-- Every accepted auction bid, written before the bid is acknowledged. The auction grain numbers its bids (seq) and
-- loads them back on activation, so this table is its bid history; a client bid id is taken once per bidder.
CREATE TABLE tt_auction_bid (
    auction_id     text NOT NULL,
    seq            integer NOT NULL,
    client_bid_id  text NOT NULL,
    bidder_account text NOT NULL,
    bidder_org     text NOT NULL,
    amount         numeric(20, 6) NOT NULL CHECK (amount > 0),
    placed_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL, -- the auction's end after this bid (soft close moves it)
    PRIMARY KEY (auction_id, seq),
    UNIQUE (auction_id, bidder_account, client_bid_id)
);

-- Append-only: a bid is never changed or taken back.
CREATE FUNCTION tt_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER tt_auction_bid_append_only BEFORE UPDATE OR DELETE ON tt_auction_bid
    FOR EACH ROW EXECUTE FUNCTION tt_append_only();

-- The trading hall: one row per listing, auction or tender, written by its grain (derived; version-guarded).
-- For a tender, price stays null and bids is only a count until the bids are opened.
CREATE TABLE tt_trade (
    id          text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('FixedPriceListing', 'Auction', 'Tender')),
    title       text NOT NULL,
    listing_id  text NOT NULL,
    owner_org   text NOT NULL,
    region      text,
    status      text NOT NULL,
    price       numeric(20, 6),
    bids        integer NOT NULL DEFAULT 0,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    version     integer NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tt_trade_ends ON tt_trade (ends_at DESC);
