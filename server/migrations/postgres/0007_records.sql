-- Service records other than the chronic follow-ups (health education, vaccination doses and missed-dose
-- contacts, family-doctor contracts and delivered services): append-only revisions of one record, the
-- current one flagged. `body` is the whole `RecordInput` as JSON; the columns beside it are what lists filter
-- and count by.
CREATE TABLE records (
    id            TEXT PRIMARY KEY,
    record_id     TEXT NOT NULL,
    revision      BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    village_id    TEXT NOT NULL REFERENCES org_units(id),
    resident_id   TEXT REFERENCES residents(id),
    service_date  TEXT NOT NULL,
    body          TEXT NOT NULL,
    -- Proof of service (两卡制): 1 when the resident signed on the screen.
    signed        BIGINT NOT NULL,
    is_current    BIGINT NOT NULL,
    author_id     TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    received_at   BIGINT NOT NULL,
    UNIQUE (record_id, revision)
);
CREATE INDEX records_record ON records(record_id, is_current);
CREATE INDEX records_resident ON records(resident_id, is_current);
CREATE INDEX records_village_kind ON records(village_id, kind, is_current, service_date);

-- Photos of a record, each sent as its own outbox entry. The record may arrive after its photos.
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    record_id   TEXT NOT NULL,
    village_id  TEXT NOT NULL REFERENCES org_units(id),
    kind        BIGINT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    bytes       BYTEA NOT NULL,
    author_id   TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX attachments_record ON attachments(record_id);
