-- Registered contracts as lists show them (我的合同, a center's, national). Derived: the contract grain's state is
-- the truth; the grain upserts its row after every change, guarded by its amendment count.
CREATE TABLE tt_contract (
    number            text PRIMARY KEY,
    deal_id           text NOT NULL,
    achievement_id    text NOT NULL,
    demand_id         text NOT NULL,
    region            text NOT NULL,
    seller_org        text NOT NULL,
    buyer_org         text NOT NULL,
    type              text NOT NULL,
    contract_amount   numeric NOT NULL,
    tech_amount       numeric NOT NULL,
    signing_date      date NOT NULL,
    registered_at     timestamptz NOT NULL,
    amendments        integer NOT NULL
);
CREATE INDEX tt_contract_seller ON tt_contract (seller_org, registered_at DESC);
CREATE INDEX tt_contract_buyer ON tt_contract (buyer_org, registered_at DESC);
CREATE INDEX tt_contract_region ON tt_contract (region, registered_at DESC);
CREATE INDEX tt_contract_registered ON tt_contract (registered_at DESC);

-- The contracts registered before this list existed, from their grains' stored state (plain JSON), with every
-- amendment applied: the last amendment of a field is its effective value.
INSERT INTO tt_contract (number, deal_id, achievement_id, demand_id, region, seller_org, buyer_org, type, contract_amount,
    tech_amount, signing_date, registered_at, amendments)
SELECT r->>'number', r->'facts'->>'dealId', r->'facts'->>'achievementId', coalesce(r->'facts'->>'demandId', ''),
    r->'facts'->>'regionCode', r->'facts'->>'sellerOrganizationId', r->'facts'->>'buyerOrganizationId', r->'content'->>'type',
    coalesce((SELECT a->>'newValue' FROM jsonb_array_elements(s.state->'amendments') a
              WHERE a->>'field' = 'contractAmount' ORDER BY (a->>'no')::int DESC LIMIT 1), r->'content'->>'contractAmount')::numeric,
    coalesce((SELECT a->>'newValue' FROM jsonb_array_elements(s.state->'amendments') a
              WHERE a->>'field' = 'techTransactionAmount' ORDER BY (a->>'no')::int DESC LIMIT 1), r->'content'->>'techTransactionAmount')::numeric,
    (r->'content'->>'signingDate')::date, (r->>'registeredAt')::timestamptz, jsonb_array_length(s.state->'amendments')
FROM (SELECT convert_from(payloadbinary, 'UTF8')::jsonb AS state FROM orleansstorage
      WHERE graintypestring = 'contract' AND payloadbinary IS NOT NULL) s,
    LATERAL (SELECT s.state->'registration' AS r) x
WHERE r IS NOT NULL AND jsonb_typeof(r) = 'object'
ON CONFLICT (number) DO NOTHING;
