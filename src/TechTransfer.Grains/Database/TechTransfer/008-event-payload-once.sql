-- An event's payload is stored once (tt_event), not once per recipient inbox: a match reaches a dozen or more
-- inboxes, and the per-row ~2 KB jsonb copies were most of PostgreSQL's write and WAL volume under load.
-- Event ids are global (a match id, "<listing>@<version>", …), so one row serves every inbox holding the event.
-- The payload is text: it is only ever handed back to the host, never queried, so parsing it as jsonb was waste.
CREATE TABLE tt_event (
    event_id   text PRIMARY KEY,
    type       text NOT NULL,
    payload    text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO tt_event (event_id, type, payload, created_at)
SELECT DISTINCT ON (event_id) event_id, type, payload::text, created_at
FROM tt_notification
ORDER BY event_id, created_at;

-- Rebuilt rather than altered: dropping the payload column would leave its space (GBs on a busy host) in place.
ALTER TABLE tt_notification RENAME TO tt_notification_old;
ALTER TABLE tt_notification_old DROP CONSTRAINT tt_notification_pkey;
ALTER TABLE tt_notification_old DROP CONSTRAINT tt_notification_inbox_event_id_key;

-- Ids still increase without gaps within an inbox; an event still enters an inbox at most once. The unique key
-- leads with event_id so that "does any inbox still hold this event?" (trims delete unheld events) is an index probe.
CREATE TABLE tt_notification (
    inbox      text NOT NULL,
    id         bigint NOT NULL,
    event_id   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (inbox, id),
    UNIQUE (event_id, inbox)
);

INSERT INTO tt_notification (inbox, id, event_id, created_at)
SELECT inbox, id, event_id, created_at FROM tt_notification_old;

DROP TABLE tt_notification_old;
