-- Indexes for the write path of sync (docs/performance.md).

-- The audit linker reads the queue oldest first; without this index every run sorts the whole queue,
-- which grows under load exactly when the linker must catch up.
CREATE INDEX audit_unlinked_in_order ON audit_unlinked (occurred_at, event_id);

-- Covered by the unique key (site_id, report_date, author_id), which starts with the same columns.
DROP INDEX daily_reports_by_site_and_date;

-- The sequencer finds rows without a position through the unique index on position (it holds NULLs);
-- a second index starting with position only cost every insert and every positioning.
DROP INDEX sync_feed_unpositioned;
