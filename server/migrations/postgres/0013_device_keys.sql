-- The data key of each phone's encrypted store (issue 8), per account and device: sent once after the PIN is
-- chosen, given back only to a login with the account's password (a store locked by wrong PINs).
CREATE TABLE device_keys (
    user_id    TEXT NOT NULL REFERENCES users(id),
    device_id  TEXT NOT NULL,
    key        BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, device_id)
);
