-- A second factor at sign-in (ADR 0015): an authenticator app's key (TOTP, RFC 6238), one-time recovery
-- codes, and the short-lived challenge between a sign-in's password and its code.

-- One authenticator key per person. The key must be readable to check a code, so it is kept encrypted
-- (AES-256-GCM under a key file outside the database, fieldbook.identity.second-factor.key-file), never
-- in clear. confirmed_at is null while the enrolment waits for its first code; only then does it count.
-- last_used_step is the newest time step whose code was accepted: a code of that step or an older one is
-- refused (no replay).
CREATE TABLE totp_factors (
    user_id         UUID          PRIMARY KEY REFERENCES users (id),
    sealed_key      VARCHAR(200)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    confirmed_at    TIMESTAMP WITH TIME ZONE,
    last_used_step  BIGINT        NOT NULL
);

-- Ten codes per person, each usable once; only a SHA-256 of the person's id and the code is kept (80 random
-- bits each, too many to try).
CREATE TABLE recovery_codes (
    id              UUID          PRIMARY KEY,
    user_id         UUID          NOT NULL REFERENCES users (id),
    code_hash       VARCHAR(64)   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT recovery_codes_hash_unique UNIQUE (code_hash)
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

-- A password accepted for a person with a second factor: the second step presents the challenge's secret
-- (kept only as its SHA-256) with a code. Deleted when used; useless after expires_at.
CREATE TABLE sign_in_challenges (
    id              UUID          PRIMARY KEY,
    user_id         UUID          NOT NULL REFERENCES users (id),
    secret_hash     VARCHAR(64)   NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sign_in_challenges_secret_unique UNIQUE (secret_hash)
);
CREATE INDEX sign_in_challenges_by_user ON sign_in_challenges (user_id);
