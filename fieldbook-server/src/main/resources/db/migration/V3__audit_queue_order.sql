-- The audit linker reads the queue oldest first; without this index every run sorts the whole queue,
-- which grows under load exactly when the linker must catch up.
CREATE INDEX audit_unlinked_in_order ON audit_unlinked (occurred_at, event_id);
