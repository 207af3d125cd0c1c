-- Residents' own view (issue 7): the children a doctor linked to a parent's account, and residents' answers
-- about their visits (两卡制 proof: confirmed, or "this visit did not happen").

-- A child of the household shown in a parent's account. Both are resident records of villages in the linking
-- doctor's scope. An unlinked child keeps its row (linked = 0) so the parent's phone is told to drop it.
CREATE TABLE resident_links (
    parent_id TEXT NOT NULL REFERENCES residents(id),
    child_id  TEXT NOT NULL REFERENCES residents(id),
    linked    BIGINT NOT NULL,
    linked_by TEXT NOT NULL,
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX resident_links_child ON resident_links(child_id);

-- A resident's answer about one entry (a chronic follow-up by `visit_id`, a service record by `record_id`); a
-- later answer replaces the earlier one.
CREATE TABLE confirmations (
    entry_id    TEXT PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('visit', 'record')),
    resident_id TEXT NOT NULL,
    village_id  TEXT NOT NULL,
    answer      TEXT NOT NULL CHECK (answer IN ('confirmed', 'disputed')),
    note        TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX confirmations_village ON confirmations(village_id, at);
