-- Records deleted from the synced data, found by their id. An edit pushed for a record that is gone needs
-- the site it was on, to check the pusher's scope and to file the conflict there. The feed knows it too,
-- but it is not indexed by record: finding a deletion there read the whole feed, for every such push and
-- for every made-up id, in a table that only grows. Only deletions write here.
CREATE TABLE sync_tombstones (
    entity_id       UUID          NOT NULL,
    deleted_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    entity          VARCHAR(40)   NOT NULL,
    site_id         UUID          NOT NULL,
    CONSTRAINT sync_tombstones_pk PRIMARY KEY (entity_id, deleted_at)
);
INSERT INTO sync_tombstones (entity_id, deleted_at, entity, site_id)
    SELECT DISTINCT entity_id, recorded_at, entity, site_id FROM sync_feed WHERE deleted = TRUE;
INSERT INTO sync_tombstones (entity_id, deleted_at, entity, site_id)
    SELECT DISTINCT entity_id, recorded_at, entity, site_id FROM sync_changes WHERE deleted = TRUE;
