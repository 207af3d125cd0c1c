-- Township and county views (issue 6): indicator rollups, configuration, published snapshots, the review of
-- entries and the verification calls.

-- Indicator counters (`app::indicator::Counts` as JSON) of one org unit and period ("2026-11", "2026-Q4",
-- "2026", custom "a~b"). `seq` is the newest change-log seq of the unit's villages when they were computed:
-- a later change in any of them makes the row stale, and it is recomputed on the next read.
CREATE TABLE rollups (
    org_id      TEXT NOT NULL,
    period      TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    counts      TEXT NOT NULL,
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, period)
);

-- 常住人口 of a village per year: the denominator of record coverage and contract coverage.
CREATE TABLE populations (
    org_id     TEXT NOT NULL REFERENCES org_units(id),
    year       BIGINT NOT NULL,
    population BIGINT NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- A county's targets (percent) per year, by indicator code; codes without a row use the default.
CREATE TABLE targets (
    county_id TEXT NOT NULL REFERENCES org_units(id),
    year      BIGINT NOT NULL,
    indicator TEXT NOT NULL,
    target    DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (county_id, year, indicator)
);

-- Published figures, frozen per village so every level above reads the sum of what was published.
CREATE TABLE snapshots (
    org_id       TEXT NOT NULL,
    period       TEXT NOT NULL,
    counts       TEXT NOT NULL,
    population   BIGINT,
    published_by TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (org_id, period)
);

-- A resident opening their own record (counted by the "record viewed" indicator; written from issue 7 on).
CREATE TABLE record_views (
    resident_id TEXT NOT NULL,
    village_id  TEXT NOT NULL,
    day         TEXT NOT NULL,
    PRIMARY KEY (resident_id, day)
);
CREATE INDEX record_views_village ON record_views(village_id, day);

-- The township's review of an entry (a chronic follow-up by `visit_id`, a service record by `record_id`):
-- the revision it looked at, and "reviewed" or "returned" with a comment. A newer revision than the one
-- reviewed puts the entry back in the queue.
CREATE TABLE reviews (
    entry_id    TEXT PRIMARY KEY,
    entity      TEXT NOT NULL CHECK (entity IN ('visit', 'record')),
    village_id  TEXT NOT NULL,
    revision_id TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('reviewed', 'returned')),
    comment     TEXT NOT NULL,
    reviewer_id TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX reviews_village ON reviews(village_id, state);
