-- Passkeys (WebAuthn credentials, ADR 0016). Byte strings are kept as base64url text, which both PostgreSQL
-- and H2 compare and index alike.

-- The WebAuthn user handle of an account: 32 random bytes, never the account's id or login, given to its
-- authenticators at registration and returned by them at sign-in.
CREATE TABLE passkey_user_handles (
    user_id         UUID          PRIMARY KEY REFERENCES users (id),
    handle          VARCHAR(100)  NOT NULL,
    CONSTRAINT passkey_user_handles_handle_unique UNIQUE (handle)
);

-- A person's passkeys: the public key and the registration's attestation object (attestation "none"),
-- the signature counter, and the label the person gave it.
CREATE TABLE passkeys (
    id                  UUID          PRIMARY KEY,
    user_id             UUID          NOT NULL REFERENCES users (id),
    credential_id       VARCHAR(1400) NOT NULL,
    label               VARCHAR(100)  NOT NULL,
    public_key          VARCHAR(4000) NOT NULL,
    attestation_object  VARCHAR(20000) NOT NULL,
    signature_count     BIGINT        NOT NULL,
    uv_initialized      BOOLEAN       NOT NULL,
    backup_eligible     BOOLEAN       NOT NULL,
    backup_state        BOOLEAN       NOT NULL,
    transports          VARCHAR(200)  NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT passkeys_credential_unique UNIQUE (credential_id)
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

-- The challenges handed out for a registration or a sign-in: each answers one attempt within its lifetime.
CREATE TABLE passkey_challenges (
    id              UUID          PRIMARY KEY,
    challenge       VARCHAR(100)  NOT NULL,
    purpose         VARCHAR(12)   NOT NULL,
    user_id         UUID          REFERENCES users (id),
    rp_id           VARCHAR(253)  NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT passkey_challenges_challenge_unique UNIQUE (challenge),
    CONSTRAINT passkey_challenges_purpose_known CHECK (purpose IN ('REGISTRATION', 'SIGN_IN')),
    CONSTRAINT passkey_challenges_registration_has_user CHECK (purpose = 'SIGN_IN' OR user_id IS NOT NULL)
);
