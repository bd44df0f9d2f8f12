-- 信誉体系 (issue 19, docs/institutions.md): every deal's trail and its parties' ratings of the broker, queryable.
-- Derived: the deal grain's state is the truth; its projection writes them after every change (idempotent inserts).
CREATE TABLE tt_deal_event (
    deal_id     text NOT NULL,
    seq         integer NOT NULL,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    action      text NOT NULL,
    from_stage  text,
    to_stage    text,
    note        text,
    PRIMARY KEY (deal_id, seq)
);
CREATE TABLE tt_deal_rating (
    deal_id     text NOT NULL,
    side        text NOT NULL CHECK (side IN ('achievement', 'demand')),
    broker      text NOT NULL,
    stars       integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment     text,
    rated_by    text NOT NULL,
    rated_at    timestamptz NOT NULL,
    PRIMARY KEY (deal_id, side)
);
CREATE INDEX tt_deal_claimed_by ON tt_deal (claimed_by, last_activity_at DESC) WHERE claimed_by IS NOT NULL;

-- The trails of the deals stored before this table existed, from their grains' stored state (plain JSON).
INSERT INTO tt_deal_event (deal_id, seq, at, actor, action, from_stage, to_stage, note)
SELECT d.id, e.n - 1, (e.entry->>'at')::timestamptz, e.entry->>'actor', e.entry->>'action', e.entry->>'from', e.entry->>'to', e.entry->>'note'
FROM (SELECT grainidextensionstring AS id, convert_from(payloadbinary, 'UTF8')::jsonb AS state FROM orleansstorage
      WHERE graintypestring = 'deal' AND payloadbinary IS NOT NULL) s
JOIN tt_deal d ON d.id = s.id,
LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(s.state->'trail') = 'array' THEN s.state->'trail' ELSE '[]'::jsonb END)
    WITH ORDINALITY AS e(entry, n)
ON CONFLICT DO NOTHING;
