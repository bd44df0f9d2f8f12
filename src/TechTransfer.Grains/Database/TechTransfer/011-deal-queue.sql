-- The brokers' work queue (issue 18): when a deal became a lead (its age in the queue) and its TechField, so a center
-- pages, filters, sorts and counts its queue in SQL. Both come from the deal grain's state (LeadAt, Facts.TechField).
ALTER TABLE tt_deal ADD COLUMN lead_at timestamptz, ADD COLUMN tech_field text;
-- Rows written before: the lead time was not kept here, the last activity is the closest known (the deal's next write
-- stores the real one); the field is the matched listings'.
UPDATE tt_deal SET lead_at = last_activity_at WHERE stage <> 'Matched';
UPDATE tt_deal t SET tech_field = l.tech_field FROM tt_listing l WHERE l.id = t.achievement_id;
UPDATE tt_deal t SET tech_field = l.tech_field FROM tt_listing l WHERE t.tech_field IS NULL AND l.id = t.demand_id;
CREATE INDEX tt_deal_achievement_region_lead ON tt_deal (achievement_region, lead_at DESC);
CREATE INDEX tt_deal_demand_region_lead ON tt_deal (demand_region, lead_at DESC);
