-- The first answer to each POST sent with an Idempotency-Key, so that a retry gets that answer instead of doing
-- the work again. Scope = who asked ("acct:<id>", or "ip:<address>" before sign-in). A row without status is a
-- request still running (or abandoned by a crashed host: another host may take it over after locked_until).
CREATE TABLE tt_idempotency (
    scope        text NOT NULL,
    key          text NOT NULL,
    request_hash bytea NOT NULL,
    locked_until timestamptz NOT NULL,
    status       int,
    content_type text,
    location     text,
    etag         text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);
CREATE INDEX tt_idempotency_created ON tt_idempotency (created_at);
