-- Offline sync: who changed a report last, photos announced before their content, operations applied
-- once, the change feed, conflicts and devices. Portable between PostgreSQL and H2.

ALTER TABLE daily_reports ADD COLUMN updated_by UUID;
UPDATE daily_reports SET updated_by = author_id;

-- A photo whose metadata was pushed but whose content is still on its way is PENDING.
ALTER TABLE photos ADD COLUMN state VARCHAR(10) DEFAULT 'STORED' NOT NULL;
ALTER TABLE photos ALTER COLUMN content_type DROP NOT NULL;

-- Every operation pushed by a device, with the result it got; a replay returns this result.
CREATE TABLE sync_operations (
    operation_id    UUID PRIMARY KEY,
    device_id       UUID          NOT NULL,
    user_id         UUID          NOT NULL,
    body_hash       VARCHAR(64)   NOT NULL,
    result          VARCHAR(20000) NOT NULL,
    applied_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The change feed: one row per change of a synced record, written in the transaction of the change.
-- Positions are handed out after commit by the sequencer, in the order rows are found committed, so a
-- transaction that commits late gets a later position and no pull ever skips it.
CREATE TABLE sync_feed (
    id              UUID PRIMARY KEY,
    position        BIGINT,
    entity          VARCHAR(40)   NOT NULL,
    entity_id       UUID          NOT NULL,
    site_id         UUID          NOT NULL,
    deleted         BOOLEAN       NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sync_feed_position_unique UNIQUE (position)
);
CREATE INDEX sync_feed_unpositioned ON sync_feed (position, recorded_at);
CREATE INDEX sync_feed_by_site ON sync_feed (site_id, position);

-- One row: the last position handed out. Locked while positions are assigned.
CREATE TABLE sync_sequencer (
    id              INTEGER PRIMARY KEY,
    last_position   BIGINT NOT NULL
);
INSERT INTO sync_sequencer (id, last_position) VALUES (1, 0);

-- A field that two people changed to different values; the record kept the server's value.
CREATE TABLE sync_conflicts (
    id                  UUID PRIMARY KEY,
    entity              VARCHAR(40)   NOT NULL,
    entity_id           UUID          NOT NULL,
    site_id             UUID          NOT NULL,
    author_id           UUID,
    field               VARCHAR(60)   NOT NULL,
    server_value        VARCHAR(100000),
    server_changed_by   UUID,
    server_changed_at   TIMESTAMP WITH TIME ZONE,
    client_value        VARCHAR(100000),
    client_changed_by   UUID          NOT NULL,
    client_device_id    UUID          NOT NULL,
    client_changed_at   TIMESTAMP WITH TIME ZONE,
    operation_id        UUID          NOT NULL,
    state               VARCHAR(10)   NOT NULL,
    resolved_value      VARCHAR(100000),
    resolved_by         UUID,
    resolved_at         TIMESTAMP WITH TIME ZONE,
    version             BIGINT        NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sync_conflicts_by_entity ON sync_conflicts (entity_id);
CREATE INDEX sync_conflicts_by_site ON sync_conflicts (site_id, state);

-- The latest a device said about itself; monitoring and rollout read it.
CREATE TABLE sync_devices (
    device_id           UUID PRIMARY KEY,
    user_id             UUID          NOT NULL,
    app_version         VARCHAR(40)   NOT NULL,
    protocol_version    INTEGER       NOT NULL,
    outbox_depth        INTEGER       NOT NULL,
    oldest_pending_at   TIMESTAMP WITH TIME ZONE,
    pending_photos      INTEGER       NOT NULL,
    last_seen_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    last_push_at        TIMESTAMP WITH TIME ZONE,
    last_pull_at        TIMESTAMP WITH TIME ZONE
);

-- A report created on a device whose create met the report of the same site, day and author: the
-- device's id stands for the server's, so later operations under the device's id find the report.
CREATE TABLE sync_aliases (
    alias_id        UUID PRIMARY KEY,
    entity_id       UUID          NOT NULL
);
