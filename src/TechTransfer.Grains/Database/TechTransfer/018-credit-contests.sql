-- 信誉体系 contests (issue 19, docs/institutions.md): a center's open contests are read from the deals' trails.
CREATE INDEX tt_deal_event_contest ON tt_deal_event (deal_id, action) WHERE action LIKE 'contest%';
