-- Cunyi schema, PostgreSQL flavour: the SQLite files translated (INTEGER → BIGINT, REAL → DOUBLE PRECISION,
-- BLOB → BYTEA, AUTOINCREMENT → BIGSERIAL), so the same runtime queries run on both through sqlx's Any driver,
-- which decodes integers as i64. Every migration exists in both folders under the same number.
-- Ids are client-generated UUIDs stored as TEXT; times are Unix seconds (BIGINT); dates are ISO 'YYYY-MM-DD'.
-- Applied migrations are never edited: add a new file.

-- County (县) → township (乡镇卫生院) → village (村卫生室). Codes: county 6 digits (GB/T 2260),
-- township 9 (+GB/T 10114), village 12 (+村委会 101–199), which prefix the 17-digit health-record number.
CREATE TABLE org_units (
    id        TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES org_units(id),
    level     TEXT NOT NULL CHECK (level IN ('county', 'township', 'village')),
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('village_doctor', 'township_manager', 'county_admin', 'resident')),
    -- township for managers, county for admins; doctors' villages are in user_villages
    org_id        TEXT REFERENCES org_units(id),
    resident_id   TEXT,
    phone         TEXT,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);

CREATE TABLE user_villages (
    user_id    TEXT NOT NULL REFERENCES users(id),
    village_id TEXT NOT NULL REFERENCES org_units(id),
    PRIMARY KEY (user_id, village_id)
);
CREATE INDEX user_villages_village ON user_villages(village_id);

-- Only a SHA-256 of the token is stored, so a database leak does not leak live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per username, for the login rate limit (kept in the database so instances share it).
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures(username, at);

-- 家庭档案.
CREATE TABLE households (
    id               TEXT PRIMARY KEY,
    village_id       TEXT NOT NULL REFERENCES org_units(id),
    head_resident_id TEXT,
    address          TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX households_village ON households(village_id);

-- Next 5-digit health-record sequence per village; numbers are never reused.
CREATE TABLE record_seq (
    village_id TEXT PRIMARY KEY REFERENCES org_units(id),
    next_seq   BIGINT NOT NULL
);

-- 居民健康档案 个人基本信息表. Searchable identity columns are columns; the coded form fields live in
-- `details` (JSON), so the form can grow without a migration.
CREATE TABLE residents (
    id             TEXT PRIMARY KEY,
    record_no      TEXT NOT NULL UNIQUE,
    village_id     TEXT NOT NULL REFERENCES org_units(id),
    household_id   TEXT NOT NULL REFERENCES households(id),
    relation       BIGINT NOT NULL,
    name           TEXT NOT NULL,
    sex            BIGINT NOT NULL,
    birth_date     TEXT NOT NULL,
    id_no          TEXT UNIQUE,
    phone          TEXT,
    address        TEXT NOT NULL,
    details        TEXT NOT NULL,
    status         BIGINT NOT NULL,
    version        BIGINT NOT NULL,
    created_by     TEXT NOT NULL,
    created_device TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_by     TEXT NOT NULL,
    updated_device TEXT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX residents_village_name ON residents(village_id, name);
CREATE INDEX residents_household ON residents(household_id);
CREATE INDEX residents_birth ON residents(village_id, birth_date);

-- Every saved version of a resident record, for audit and for resolving concurrent edits.
CREATE TABLE resident_revisions (
    resident_id TEXT NOT NULL REFERENCES residents(id),
    version     BIGINT NOT NULL,
    snapshot    TEXT NOT NULL,
    author_id   TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    at          BIGINT NOT NULL,
    PRIMARY KEY (resident_id, version)
);

-- 重点人群 as dated memberships; `until` closes one without losing history.
CREATE TABLE resident_flags (
    resident_id TEXT NOT NULL REFERENCES residents(id),
    flag        TEXT NOT NULL,
    since       TEXT NOT NULL,
    until       TEXT,
    source      TEXT NOT NULL,
    PRIMARY KEY (resident_id, flag, since)
);
CREATE INDEX resident_flags_flag ON resident_flags(flag, resident_id);

-- Follow-up visits, append-only. Each row is a revision; `is_current` marks the newest of a visit_id.
-- Summary columns serve lists and indicators; `payload` keeps the whole form.
CREATE TABLE visits (
    id              TEXT PRIMARY KEY,
    visit_id        TEXT NOT NULL,
    revision        BIGINT NOT NULL,
    supersedes      TEXT,
    resident_id     TEXT NOT NULL REFERENCES residents(id),
    village_id      TEXT NOT NULL REFERENCES org_units(id),
    kind            TEXT NOT NULL,
    visit_date      TEXT NOT NULL,
    outcome         BIGINT NOT NULL,
    mode            BIGINT,
    sbp             BIGINT,
    dbp             BIGINT,
    classification  BIGINT,
    next_mgmt       BIGINT,
    next_visit_date TEXT,
    urgent          BIGINT NOT NULL,
    payload         TEXT NOT NULL,
    is_current      BIGINT NOT NULL,
    author_id       TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    UNIQUE (visit_id, revision)
);
CREATE INDEX visits_resident ON visits(resident_id, is_current, visit_date);
CREATE INDEX visits_village_date ON visits(village_id, visit_date);
