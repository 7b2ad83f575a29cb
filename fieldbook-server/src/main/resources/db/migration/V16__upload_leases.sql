-- Who is receiving a photo's resumable upload now (ADR 0029): a row per photo while one request, on any node,
-- appends a chunk to it. A node takes the lease with one atomic statement (an insert, or an update of a lease
-- that has run out) and gives it back by deleting the row; a node that died holding one loses it when held_until
-- passes. Two chunks of one photo are so never appended at once, whichever nodes they reach. Portable: H2 and
-- PostgreSQL.
CREATE TABLE upload_leases (
    photo_id    UUID         NOT NULL PRIMARY KEY,
    holder      VARCHAR(36)  NOT NULL,
    held_until  TIMESTAMP WITH TIME ZONE NOT NULL
);
