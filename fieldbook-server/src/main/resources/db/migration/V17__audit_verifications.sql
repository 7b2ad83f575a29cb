-- The results of the verifications of the whole audit chain (ADR 0023, ADR 0025): the nightly one, run once in
-- the cluster by the db-scheduler job audit-verification, and those an administrator asks for. Every node's
-- metrics (fieldbook_audit_chain_intact, fieldbook_audit_chain_verified_seconds) show the latest row, read in the
-- background by the job audit-metrics, and the alert FieldbookAuditChainBroken is evaluated once in the cluster
-- over it. Insert-only like the rest of the audit trail (db/postgresql/afterMigrate.sql revokes UPDATE, DELETE
-- and TRUNCATE from the application's role): a result is never changed afterwards. Each row is signed with the
-- audit chain's key (mac), which the database does not hold: a row inserted to hide a broken chain does not
-- hold its signature, and is shown as a broken chain. Portable: H2 and PostgreSQL.
CREATE TABLE audit_verifications (
    id                     UUID          NOT NULL PRIMARY KEY,
    verified_at            TIMESTAMP WITH TIME ZONE NOT NULL,
    node                   VARCHAR(100)  NOT NULL,
    intact                 BOOLEAN       NOT NULL,
    linked_events          BIGINT        NOT NULL,
    unlinked_events        BIGINT        NOT NULL,
    first_broken_position  BIGINT,
    event_id               UUID,
    problem                VARCHAR(4000),
    mac                    VARCHAR(64)   NOT NULL
);

CREATE INDEX audit_verifications_by_time ON audit_verifications (verified_at);
