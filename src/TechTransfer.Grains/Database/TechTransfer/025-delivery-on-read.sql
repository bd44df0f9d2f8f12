-- Delivery on read (issue 20 item 1): an event is stored once in the stream of each audience it concerns (an
-- organization, a regional center, national, one account), not once per person in them; each connection follows
-- the streams its account is entitled to. The event names all of its streams, so a reader who follows several of
-- them takes it from one only (the first of them, in ordinal order, that the reader follows). Null: an event stored
-- before this migration, in per-person inboxes; it is read wherever it is.
ALTER TABLE tt_event ADD COLUMN streams text[];

-- What each account has read of each stream it follows: an organization's stream is shared by its members, and each
-- of them reads it on their own. Everything up to read_up_to, and the single ids read above it.
CREATE TABLE tt_stream_read (
    account     text NOT NULL,
    stream      text NOT NULL,
    read_up_to  bigint NOT NULL DEFAULT 0,
    read_ids    bigint[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (account, stream)
);

INSERT INTO tt_stream_read (account, stream, read_up_to, read_ids)
SELECT substr(inbox, 6), inbox, read_up_to, read_ids FROM tt_inbox_read WHERE inbox LIKE 'user:%';

-- tt_inbox_read stays while hosts of the previous build may still run beside these (a rolling upgrade); nothing
-- of this build reads or writes it.
