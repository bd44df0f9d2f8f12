-- What an account has read of its inbox: everything up to read_up_to, and the single items read above it
-- (pruned as the cursor passes them). Per inbox, so "user:<account>" is the account's notification centre.
CREATE TABLE tt_inbox_read (
    inbox       text PRIMARY KEY,
    read_up_to  bigint NOT NULL DEFAULT 0,
    read_ids    bigint[] NOT NULL DEFAULT '{}'
);
