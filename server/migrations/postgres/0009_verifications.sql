-- The county's telephone verification (第三方电话调查) of follow-ups: a random sample of visits drawn per unit
-- and month, and what the caller heard.
CREATE TABLE verifications (
    id         TEXT PRIMARY KEY,
    visit_id   TEXT NOT NULL UNIQUE,
    village_id TEXT NOT NULL,
    drawn_by   TEXT NOT NULL,
    drawn_at   BIGINT NOT NULL,
    -- 'confirmed' | 'denied' | 'unreachable', NULL until called
    outcome    TEXT,
    note       TEXT NOT NULL DEFAULT '',
    called_by  TEXT,
    called_at  BIGINT
);
CREATE INDEX verifications_village ON verifications(village_id, drawn_at);
