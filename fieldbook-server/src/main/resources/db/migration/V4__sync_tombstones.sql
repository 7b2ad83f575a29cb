-- Records deleted from the synced data, found by their id. An edit pushed for a record that is gone needs
-- the site it was on, to check the pusher's scope and to file the conflict there. The feed knows it too,
-- but it is not indexed by record: finding a deletion there read the whole feed, for every such push and
-- for every made-up id, in a table that only grows. Only deletions write here.
-- A record's id may come back (a create with an id that was deleted before) and go again, so a
-- tombstone has an id of its own and the newest one of a record counts.
CREATE TABLE sync_tombstones (
    id              UUID PRIMARY KEY,
    entity_id       UUID          NOT NULL,
    entity          VARCHAR(40)   NOT NULL,
    site_id         UUID          NOT NULL,
    deleted_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sync_tombstones_by_entity ON sync_tombstones (entity_id, deleted_at);

-- The deletions recorded so far. A change not yet positioned keeps the id of its sync_changes row; a
-- positioned one is found by the record's newest deletion in the feed and takes the record's id, which no
-- other tombstone has (SQL has no portable way to make a new UUID).
INSERT INTO sync_tombstones (id, entity_id, entity, site_id, deleted_at)
    SELECT f.entity_id, f.entity_id, f.entity, f.site_id, f.recorded_at
      FROM sync_feed f
      JOIN (SELECT entity_id, MAX(position) AS position FROM sync_feed WHERE deleted = TRUE GROUP BY entity_id) newest
        ON newest.position = f.position;
INSERT INTO sync_tombstones (id, entity_id, entity, site_id, deleted_at)
    SELECT id, entity_id, entity, site_id, recorded_at FROM sync_changes WHERE deleted = TRUE;
