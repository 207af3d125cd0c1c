-- Concurrent edits of one resident merged field by field (docs/sync.md): each merge that had to choose between
-- two values of a field is listed here for the township manager; both versions stay in resident_revisions.
CREATE TABLE conflicts (
    id           TEXT PRIMARY KEY,
    resident_id  TEXT NOT NULL REFERENCES residents(id),
    village_id   TEXT NOT NULL,
    base_version BIGINT NOT NULL,
    -- the version that kept its values, and the revision whose values lost
    kept_version BIGINT NOT NULL,
    fields       TEXT NOT NULL,
    losing       TEXT NOT NULL,
    author_id    TEXT NOT NULL,
    at           BIGINT NOT NULL,
    resolved_by  TEXT,
    resolved_at  BIGINT
);
CREATE INDEX conflicts_village ON conflicts(village_id, resolved_at);
