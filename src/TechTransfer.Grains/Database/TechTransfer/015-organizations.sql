-- The queryable face of organization grains (derived; the grain state is the truth): the centers' queue of
-- applications to join (机构入驻申请), newest first, per region of the applicant's province.
CREATE TABLE tt_organization (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    kind         text NOT NULL,
    province     text NOT NULL,
    region       text,          -- the region of the province: whose center reviews it
    verified     boolean NOT NULL,
    application  text,          -- NULL: registered by the national level; else Pending, Approved or Rejected
    phone        text,
    email        text,
    applicant    text,          -- the account that applied (the organization's first admin)
    applied_at   timestamptz,
    reason       text,
    decided_at   timestamptz,
    version      integer NOT NULL
);
CREATE INDEX tt_organization_applications ON tt_organization (application, region, applied_at DESC) WHERE application IS NOT NULL;
