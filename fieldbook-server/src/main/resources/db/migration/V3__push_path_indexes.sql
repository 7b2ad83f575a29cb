-- Indexes for the write path of sync (docs/performance.md).

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

-- The sequencer finds rows without a position through the unique index on position (it holds NULLs);
-- a second index starting with position only cost every insert and every positioning.
DROP INDEX sync_feed_unpositioned;
