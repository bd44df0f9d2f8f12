-- 科技成果评价 (issue 19 item 4, docs/institutions.md): structured evaluations by invited reviewers. Derived: the
-- evaluation grain's state is the truth; this row is what lists find (an achievement's evaluations, a reviewer's invitations).
CREATE TABLE tt_evaluation (
    id                text PRIMARY KEY,
    achievement_id    text NOT NULL,
    achievement_title text NOT NULL,
    region            text NOT NULL,
    status            text NOT NULL CHECK (status IN ('Open', 'Published')),
    started_at        timestamptz NOT NULL,
    published_at      timestamptz,
    reviewers         text[] NOT NULL,
    reviewed          text[] NOT NULL
);
CREATE INDEX tt_evaluation_achievement ON tt_evaluation (achievement_id, started_at DESC);
CREATE INDEX tt_evaluation_reviewers ON tt_evaluation USING gin (reviewers);
