-- Run by Flyway after every migration, on PostgreSQL only (location db/{vendor}, outside db/migration, which Flyway reads with its subfolders): the audit
-- trail is insert-only for every role but its owner. Whatever was granted on the audit tables to another
-- role (the application's, when Flyway runs as a separate schema owner: docs/operations.md, PostgreSQL
-- roles) loses UPDATE, DELETE and TRUNCATE, on the queue of events to link as well: the linker empties the
-- queue through the owner's procedure audit_dequeue_linked (V19, V21), which takes out only events already linked.
-- Where one role owns the schema and runs the application, there is nobody to revoke from and this changes
-- nothing. A new audit table must be added here.
DO $$
DECLARE
    granted RECORD;
BEGIN
    FOR granted IN
        SELECT DISTINCT c.relname AS table_name,
               CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
          FROM pg_class c, aclexplode(c.relacl) a
         WHERE c.relnamespace = current_schema()::regnamespace
           AND c.relname IN ('audit_events', 'audit_chain', 'audit_keying', 'audit_unlinked', 'audit_reads',
                             'audit_verifications')
           AND a.grantee <> c.relowner
           AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM %s', granted.table_name, granted.grantee);
    END LOOP;
END
$$;
