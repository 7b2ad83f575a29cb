-- The write path of sync, made cheaper per operation (docs/performance.md).

-- The queue of audit events to link, rebuilt with one index in the order the linker reads it (oldest
-- first; before, every run sorted the whole queue, which grows under load exactly when the linker must
-- catch up) and without the foreign key, whose check cost every change a look-up of the event it had
-- just written. The linker joins the queue to the events, and the verifier counts both.
CREATE TABLE audit_queue (
    occurred_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    event_id        UUID NOT NULL,
    CONSTRAINT audit_queue_pk PRIMARY KEY (occurred_at, event_id)
);
INSERT INTO audit_queue (occurred_at, event_id) SELECT occurred_at, event_id FROM audit_unlinked;
DROP TABLE audit_unlinked;
ALTER TABLE audit_queue RENAME TO audit_unlinked;

-- Covered by the unique key (site_id, report_date, author_id), which starts with the same columns.
DROP INDEX daily_reports_by_site_and_date;

-- The change feed in two tables. A change adds a row to sync_changes in its transaction; the sequencer
-- moves committed rows from there into sync_feed, each with the next position. Before, the feed row was
-- written without a position and then updated with one, which rewrote the row and all three of its
-- index entries, and left an index entry with an empty position behind for every change until vacuum.
CREATE TABLE sync_changes (
    id              UUID PRIMARY KEY,
    entity          VARCHAR(40)   NOT NULL,
    entity_id       UUID          NOT NULL,
    site_id         UUID          NOT NULL,
    deleted         BOOLEAN       NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO sync_changes (id, entity, entity_id, site_id, deleted, recorded_at)
    SELECT id, entity, entity_id, site_id, deleted, recorded_at FROM sync_feed WHERE position IS NULL;
CREATE TABLE sync_feed_positioned (
    position        BIGINT        NOT NULL,
    entity          VARCHAR(40)   NOT NULL,
    entity_id       UUID          NOT NULL,
    site_id         UUID          NOT NULL,
    deleted         BOOLEAN       NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT sync_feed_pk PRIMARY KEY (position)
);
INSERT INTO sync_feed_positioned (position, entity, entity_id, site_id, deleted, recorded_at)
    SELECT position, entity, entity_id, site_id, deleted, recorded_at FROM sync_feed WHERE position IS NOT NULL;
DROP TABLE sync_feed;
ALTER TABLE sync_feed_positioned RENAME TO sync_feed;
CREATE INDEX sync_feed_by_site ON sync_feed (site_id, position);
