-- The alerts evaluated in the server (ADR 0025). The rules over figures read from the database (the per-site
-- sync health) are evaluated once in the cluster, by the db-scheduler job cluster-alert-evaluation on whichever
-- node takes its run: their states live here, so that the next run, on any node, carries them on. Each node
-- also writes here the alerts of its own rules (its requests, its pool, its jobs), so that every node shows
-- the same list. Portable: H2 and PostgreSQL.

-- An alert as it stands: a rule and its labels (a JSON object, keys in order), and who evaluates it: the word
-- cluster for the rules evaluated once in the cluster, else the node's name (fieldbook.jobs.node-name).
CREATE TABLE alerts (
    rule_name     VARCHAR(100)  NOT NULL,
    labels        VARCHAR(1000) NOT NULL,
    evaluator     VARCHAR(100)  NOT NULL,
    state         VARCHAR(10)   NOT NULL,
    severity      VARCHAR(10)   NOT NULL,
    measured      DOUBLE PRECISION NOT NULL,
    summary       VARCHAR(1000) NOT NULL,
    runbook       VARCHAR(200)  NOT NULL,
    active_since  TIMESTAMP WITH TIME ZONE NOT NULL,
    firing_since  TIMESTAMP WITH TIME ZONE,
    resolved_at   TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (rule_name, labels)
);

CREATE INDEX alerts_by_evaluator ON alerts (evaluator);

-- What each channel was last told of an alert evaluated once in the cluster, and when: the next run, on any
-- node, neither tells it again nor sooner than fieldbook.alerts.notification-interval.
CREATE TABLE alert_notifications (
    rule_name    VARCHAR(100)  NOT NULL,
    labels       VARCHAR(1000) NOT NULL,
    channel      VARCHAR(20)   NOT NULL,
    state        VARCHAR(10)   NOT NULL,
    notified_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rule_name, labels, channel)
);

-- When each evaluator (cluster, or a node) last evaluated its rules. A node silent for an hour is taken as gone,
-- and its alerts are forgotten.
CREATE TABLE alert_evaluations (
    evaluator     VARCHAR(100) NOT NULL PRIMARY KEY,
    evaluated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
