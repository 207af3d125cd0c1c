-- The audit log (审计日志, issue 8): every read and write of a resident's record — who, what, when, from which
-- device. Rows about one resident carry `resident_id` (the county sees them through the resident's village);
-- lists and exports carry the unit they covered in `org_id`. Append-only: nothing updates or deletes rows.
CREATE TABLE audit_log (
    id           BIGSERIAL PRIMARY KEY,
    at           BIGINT NOT NULL,
    user_id      TEXT NOT NULL,
    username     TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT,
    resident_id  TEXT,
    org_id       TEXT,
    detail       TEXT NOT NULL,
    device       TEXT NOT NULL,
    client       TEXT NOT NULL
);
CREATE INDEX audit_log_resident ON audit_log(resident_id, id);
CREATE INDEX audit_log_user ON audit_log(username, id);
CREATE INDEX audit_log_at ON audit_log(at);
