-- The linker takes linked events out of its queue (audit_unlinked) through this procedure, on PostgreSQL only
-- (location db/{vendor}; on H2, which has no roles to keep apart, AuditChain deletes the same rows with plain
-- SQL). It belongs to the schema's owner, the role that runs the migrations, and runs with the owner's rights
-- (SECURITY DEFINER), so that the application's role needs no DELETE on the queue (afterMigrate.sql revokes it):
-- through it, any caller can take out of the queue only events already linked into the chain, up to a time, never
-- one still waiting to be linked. Its search_path is fixed to this schema, then pg_temp, so that no caller can put
-- a table or an operator of its own in front of the owner's. EXECUTE stays with PUBLIC: removing the queue row of
-- a linked event is all it can do, and what the linker does anyway (docs/operations.md, PostgreSQL roles).
CREATE PROCEDURE audit_dequeue_linked(up_to TIMESTAMP WITH TIME ZONE)
    LANGUAGE sql
    SECURITY DEFINER
AS $$
    DELETE FROM audit_unlinked u
     WHERE u.occurred_at <= up_to
       AND EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = u.event_id)
$$;

DO $$
BEGIN
    EXECUTE format('ALTER PROCEDURE audit_dequeue_linked(TIMESTAMP WITH TIME ZONE) SET search_path = %I, pg_temp',
                   current_schema());
END
$$;
