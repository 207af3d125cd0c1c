-- Sync (protocol v1, docs/sync.md): a change log that pulls read by cursor, and the ids of accepted outbox
-- entries so a push retried after a cut stores nothing twice.

-- Every write appends the changed record here, under the village whose users must receive it. `seq` is the
-- pull cursor. Writers take one transaction-level advisory lock (`SqlStore::begin_write`), so, as on SQLite,
-- seq order is commit order even with several server instances on one database.
CREATE TABLE changes (
    seq        BIGSERIAL PRIMARY KEY,
    village_id TEXT NOT NULL,
    -- 'resident' | 'visit' | 'revoke' (the resident left this village)
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX changes_village_seq ON changes(village_id, seq);

CREATE TABLE sync_entries (
    entry_id  TEXT PRIMARY KEY,
    user_id   TEXT NOT NULL,
    device_id TEXT NOT NULL,
    at        BIGINT NOT NULL
);
