-- Residents' own accounts (issue 7): single-use activation codes a doctor issues, stored hashed, and the
-- failed activations per ID number that bound guessing (kept in the database so instances share them).
CREATE TABLE activation_codes (
    id          TEXT PRIMARY KEY,
    resident_id TEXT NOT NULL REFERENCES residents(id),
    code_hash   TEXT NOT NULL,
    issued_by   TEXT NOT NULL,
    issued_at   BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);
CREATE INDEX activation_codes_resident ON activation_codes(resident_id, used_at);

CREATE TABLE activation_failures (
    id_no_hash TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX activation_failures_id ON activation_failures(id_no_hash, at);
