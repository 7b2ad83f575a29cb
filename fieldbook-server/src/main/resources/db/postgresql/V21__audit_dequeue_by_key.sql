-- The linker's procedure (V19) took out of the queue every linked event queued up to a time: PostgreSQL plans a
-- SQL procedure's statement without its argument's value, guessed that a third of the queue matched, and joined it
-- to the whole of audit_chain by hashing it, once a batch. Under a stream of reports that cost grew with the chain
-- (158 ms a batch on 160,000 links, a third of PostgreSQL's processor). This one is given the ids of the events of
-- the batch it linked. It first finds which of them are linked, each through audit_chain's unique event id (a
-- nested loop over the ids: written as a join between the ids and the queue with an EXISTS on the chain, the
-- planner, which cannot know how many ids come, again hashed the whole chain), then deletes their queue rows: a
-- cost that follows the batch and the queue, never the chain. No time is passed, so no queued time, however odd (a row
-- written at infinity by someone with the application's role), can make the call fail and stop the linking. It
-- keeps V19's guarantee: a caller can take out only events already linked into the chain, never one still waiting,
-- and only through the owner's rights.
CREATE PROCEDURE audit_dequeue_linked(event_ids UUID[])
    LANGUAGE sql
    SECURITY DEFINER
AS $$
    DELETE FROM audit_unlinked u
     WHERE u.event_id = ANY (ARRAY(SELECT c.event_id
                                     FROM unnest(event_ids) AS linked(event_id)
                                     JOIN audit_chain c ON c.event_id = linked.event_id))
$$;

DO $$
BEGIN
    EXECUTE format('ALTER PROCEDURE audit_dequeue_linked(UUID[]) SET search_path = %I, pg_temp', current_schema());
END
$$;

-- V19's form stays beside it: the nodes of an earlier release still call it until they are rolled (docs/operations.md,
-- Rolling upgrades); dropping it here would fail their linkers. A later migration drops it.
