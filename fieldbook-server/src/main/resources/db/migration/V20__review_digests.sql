-- The review digests sent (the digests module, ADR 0032): one row per manager and day on which their morning mail
-- of the reports waiting for their review went out. The row is inserted in the transaction that sends the mail and
-- commits only after the mail server took it, so the key (person_id, digest_day) makes the digest once a day per
-- manager across nodes and runs: a second run of the day, on any node, finds the row (or waits on the uncommitted
-- one, then finds it) and sends nothing; a send that failed rolled its row back, and the next try sends. A mail
-- taken by the server whose commit then failed (the node died, the database went away) is sent again by the next
-- try: at most the one in flight. Days with nothing waiting leave no row. Rows older than 90 days are deleted by the
-- job itself. Portable: H2 and PostgreSQL.
CREATE TABLE review_digests (
    person_id   UUID          NOT NULL REFERENCES users (id),
    digest_day  DATE          NOT NULL,
    reports     INTEGER       NOT NULL,
    sent_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    node        VARCHAR(100)  NOT NULL,
    CONSTRAINT review_digests_once_a_day PRIMARY KEY (person_id, digest_day)
);

CREATE INDEX review_digests_by_day ON review_digests (digest_day);
