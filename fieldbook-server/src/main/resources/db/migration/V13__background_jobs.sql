-- Background jobs (ADR 0023). db-scheduler's table: one row per job that runs once in the cluster (the
-- clean-ups, the audit chain's head writer and its nightly verification), with when it is next due, which node
-- has it in hand (picked, picked_by, last_heartbeat) and its failures in a row. A node takes a due run by
-- updating the row from the version it read, so two nodes never take the same run. Portable: H2 and PostgreSQL.
CREATE TABLE scheduled_tasks (
    task_name             VARCHAR(100)  NOT NULL,
    task_instance         VARCHAR(250)  NOT NULL,
    task_data             BYTEA,
    execution_time        TIMESTAMP WITH TIME ZONE NOT NULL,
    picked                BOOLEAN       NOT NULL,
    picked_by             VARCHAR(100),
    last_success          TIMESTAMP WITH TIME ZONE,
    last_failure          TIMESTAMP WITH TIME ZONE,
    consecutive_failures  INTEGER,
    last_heartbeat        TIMESTAMP WITH TIME ZONE,
    version               BIGINT        NOT NULL,
    priority              SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);

CREATE INDEX scheduled_tasks_by_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_by_last_heartbeat ON scheduled_tasks (last_heartbeat);

-- A node that takes a photo's thumbnail in hand claims it until this time, so that another node does not make
-- the same one meanwhile; a claim that lapses (the node died) lets any node take it. Settling clears it.
ALTER TABLE photos ADD COLUMN thumbnail_claimed_until TIMESTAMP WITH TIME ZONE;
