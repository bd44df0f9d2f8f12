-- Inboxes: one per user ("user:<account>"), organization ("org:<id>") and regional center ("region:<code>").
-- Ids increase without gaps within an inbox (assigned by its grain); an event enters an inbox at most once.
CREATE TABLE tt_notification (
    inbox      text NOT NULL,
    id         bigint NOT NULL,
    event_id   text NOT NULL,
    type       text NOT NULL,
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (inbox, id),
    UNIQUE (inbox, event_id)
);
