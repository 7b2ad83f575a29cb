-- The audit chain keyed with a secret the database does not hold (ADR 0013). Each event is sealed by the
-- server that writes it, HMAC-SHA-256 under the key over its fields, so that an event written into the
-- database directly has no valid seal and is never linked. Events written before this version have none.
ALTER TABLE audit_events ADD COLUMN seal VARCHAR(64);

-- Where the keyed links begin: every link after position keyed_after is HMAC-SHA-256 under the key whose
-- id is key_id; the links up to it were made before the key existed and stay plain SHA-256. One row, signed
-- with the key (mac), so that it can be neither moved nor forged; written once, by the first linker with
-- a key, insert-only like the rest of the trail.
CREATE TABLE audit_keying (
    id              SMALLINT      PRIMARY KEY,
    keyed_after     BIGINT        NOT NULL,
    key_id          VARCHAR(16)   NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    mac             VARCHAR(64)   NOT NULL,
    CONSTRAINT audit_keying_once CHECK (id = 1)
);
