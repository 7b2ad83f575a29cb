-- Fieldbook foundation schema. Portable between PostgreSQL and H2 in PostgreSQL mode:
-- no TIMESTAMPTZ alias, no RETURNING, no ON CONFLICT, no database-specific JSON type.

CREATE TABLE users (
    id              UUID PRIMARY KEY,
    login           VARCHAR(100)  NOT NULL,
    name            VARCHAR(200)  NOT NULL,
    email           VARCHAR(320)  NOT NULL,
    role            VARCHAR(20)   NOT NULL,
    password_hash   VARCHAR(255),
    active          BOOLEAN       NOT NULL,
    version         BIGINT        NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_login_unique UNIQUE (login),
    CONSTRAINT users_role_known CHECK (role IN ('WORKER', 'MANAGER', 'EXECUTIVE', 'ADMINISTRATOR'))
);

-- Sessions (web app) and bearer tokens (Java client, command line). Only a SHA-256 of the secret is kept.
CREATE TABLE credentials (
    id              UUID PRIMARY KEY,
    user_id         UUID          NOT NULL REFERENCES users (id),
    kind            VARCHAR(10)   NOT NULL,
    secret_hash     VARCHAR(64)   NOT NULL,
    label           VARCHAR(100),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    last_used_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at      TIMESTAMP WITH TIME ZONE,
    CONSTRAINT credentials_secret_unique UNIQUE (secret_hash),
    CONSTRAINT credentials_kind_known CHECK (kind IN ('SESSION', 'TOKEN'))
);
CREATE INDEX credentials_by_user ON credentials (user_id);

-- Failed logins, counted per login and per client address to throttle guessing.
CREATE TABLE login_failures (
    id              UUID PRIMARY KEY,
    login           VARCHAR(100)  NOT NULL,
    client_address  VARCHAR(64)   NOT NULL,
    failed_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX login_failures_by_login ON login_failures (login, failed_at);
CREATE INDEX login_failures_by_address ON login_failures (client_address, failed_at);

CREATE TABLE sites (
    id              UUID PRIMARY KEY,
    code            VARCHAR(32)   NOT NULL,
    name            VARCHAR(200)  NOT NULL,
    timezone        VARCHAR(64)   NOT NULL,
    address         VARCHAR(500)  NOT NULL,
    latitude        DOUBLE PRECISION,
    longitude       DOUBLE PRECISION,
    version         BIGINT        NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sites_code_unique UNIQUE (code)
);

CREATE TABLE portfolios (
    id              UUID PRIMARY KEY,
    name            VARCHAR(200)  NOT NULL,
    version         BIGINT        NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT portfolios_name_unique UNIQUE (name)
);

CREATE TABLE portfolio_sites (
    portfolio_id    UUID NOT NULL REFERENCES portfolios (id),
    site_id         UUID NOT NULL REFERENCES sites (id),
    PRIMARY KEY (portfolio_id, site_id)
);

-- A field worker's sites.
CREATE TABLE site_assignments (
    user_id         UUID NOT NULL REFERENCES users (id),
    site_id         UUID NOT NULL REFERENCES sites (id),
    PRIMARY KEY (user_id, site_id)
);
CREATE INDEX site_assignments_by_site ON site_assignments (site_id);

-- A manager's portfolios.
CREATE TABLE portfolio_assignments (
    user_id         UUID NOT NULL REFERENCES users (id),
    portfolio_id    UUID NOT NULL REFERENCES portfolios (id),
    PRIMARY KEY (user_id, portfolio_id)
);

-- The one data-scope mechanism: which sites a field worker or manager may see. Every scoped query
-- joins this view (see sites.DataScope); executives see every site, administrators no report data.
CREATE VIEW site_access AS
    SELECT a.user_id, a.site_id
      FROM site_assignments a
      JOIN users u ON u.id = a.user_id
     WHERE u.role = 'WORKER'
    UNION
    SELECT pa.user_id, ps.site_id
      FROM portfolio_assignments pa
      JOIN users u ON u.id = pa.user_id
      JOIN portfolio_sites ps ON ps.portfolio_id = pa.portfolio_id
     WHERE u.role = 'MANAGER';

CREATE TABLE daily_reports (
    id                  UUID PRIMARY KEY,
    site_id             UUID          NOT NULL REFERENCES sites (id),
    report_date         DATE          NOT NULL,
    author_id           UUID          NOT NULL REFERENCES users (id),
    status              VARCHAR(20)   NOT NULL,
    weather_conditions  VARCHAR(200),
    temperature_celsius NUMERIC(5, 1),
    work_performed      VARCHAR(20000),
    delays              VARCHAR(20000),
    safety_incidents    VARCHAR(20000),
    materials           VARCHAR(20000),
    notes               VARCHAR(20000),
    return_comment      VARCHAR(2000),
    submitted_at        TIMESTAMP WITH TIME ZONE,
    decided_at          TIMESTAMP WITH TIME ZONE,
    decided_by          UUID REFERENCES users (id),
    version             BIGINT        NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT daily_reports_one_per_author_and_day UNIQUE (site_id, report_date, author_id),
    CONSTRAINT daily_reports_status_known CHECK (status IN ('DRAFT', 'SUBMITTED', 'RETURNED', 'APPROVED'))
);
CREATE INDEX daily_reports_by_site_and_date ON daily_reports (site_id, report_date);

CREATE TABLE report_crew (
    report_id       UUID          NOT NULL REFERENCES daily_reports (id) ON DELETE CASCADE,
    position        INTEGER       NOT NULL,
    trade           VARCHAR(100)  NOT NULL,
    company         VARCHAR(200),
    headcount       INTEGER       NOT NULL,
    hours           NUMERIC(9, 2) NOT NULL,
    PRIMARY KEY (report_id, position)
);

CREATE TABLE photos (
    id              UUID PRIMARY KEY,
    report_id       UUID          NOT NULL REFERENCES daily_reports (id),
    sha256          VARCHAR(64)   NOT NULL,
    content_type    VARCHAR(50)   NOT NULL,
    size_bytes      BIGINT        NOT NULL,
    caption         VARCHAR(500),
    taken_at        TIMESTAMP WITH TIME ZONE,
    latitude        DOUBLE PRECISION,
    longitude       DOUBLE PRECISION,
    has_thumbnail   BOOLEAN       NOT NULL,
    uploaded_by     UUID          NOT NULL REFERENCES users (id),
    version         BIGINT        NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX photos_by_report ON photos (report_id);
CREATE INDEX photos_by_content ON photos (sha256);

-- Append-only audit trail: rows are only ever inserted.
CREATE TABLE audit_events (
    id              UUID PRIMARY KEY,
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_id        UUID,
    actor_login     VARCHAR(100),
    action          VARCHAR(40)   NOT NULL,
    entity_type     VARCHAR(40)   NOT NULL,
    entity_id       VARCHAR(64),
    site_id         UUID,
    changes         VARCHAR(1000000),
    request_id      VARCHAR(64),
    client_address  VARCHAR(64)
);
CREATE INDEX audit_events_by_time ON audit_events (occurred_at);
CREATE INDEX audit_events_by_site ON audit_events (site_id, occurred_at);
CREATE INDEX audit_events_by_entity ON audit_events (entity_type, entity_id);
CREATE INDEX audit_events_by_actor ON audit_events (actor_id, occurred_at);

-- The hash chain over the audit trail, also insert-only: link N holds SHA-256(hash of link N-1 | event N).
-- Events are linked shortly after they commit, in the order they are linked, so a transaction that
-- commits late is still linked and never skipped.
CREATE TABLE audit_chain (
    position        BIGINT PRIMARY KEY,
    event_id        UUID          NOT NULL REFERENCES audit_events (id),
    previous_hash   VARCHAR(64)   NOT NULL,
    hash            VARCHAR(64)   NOT NULL,
    linked_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT audit_chain_event_unique UNIQUE (event_id)
);

-- Events not yet linked into the chain; written with the event, removed once it is linked.
CREATE TABLE audit_unlinked (
    event_id        UUID PRIMARY KEY REFERENCES audit_events (id),
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
