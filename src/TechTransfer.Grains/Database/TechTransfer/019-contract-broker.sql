-- Broker attribution (issue 19 item 3, docs/institutions.md): the broker a registered contract counts for. The deal's
-- claimant when its center registered it; when the parties registered it themselves, the claimant only within the tail.
ALTER TABLE tt_contract ADD COLUMN broker text;
UPDATE tt_contract c SET broker = d.claimed_by FROM tt_deal d WHERE d.id = c.deal_id;
CREATE INDEX tt_contract_broker ON tt_contract (broker) WHERE broker IS NOT NULL;
