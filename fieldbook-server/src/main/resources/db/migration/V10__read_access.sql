-- The read-access log (ADR 0017): who was given which report or photo to read. Each read is an audit event
-- (actions VIEWED, LISTED, PULLED, DOWNLOADED, PREVIEWED, EXPORTED), sealed and linked into the keyed chain
-- like every other, whose sealed changes hold the ids read ({"ids": [...]}). This table is the index of
-- those ids, so that "who read this report" is a lookup: one row per record and read event, insert-only
-- like the rest of the trail. It has no foreign key (a check per row would slow an initial download); the
-- chain's verification checks that it matches the sealed ids exactly.
CREATE TABLE audit_reads (
    entity_id       VARCHAR(64)   NOT NULL,
    event_id        UUID          NOT NULL,
    PRIMARY KEY (entity_id, event_id)
);
