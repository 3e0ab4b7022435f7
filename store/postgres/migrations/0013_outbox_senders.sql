-- Outbox sender heartbeats and claim fencing. A sender renews its row in
-- outbox_senders every few seconds; once alive_until has passed, the rows
-- it claimed (outbox.worker) are claimed again at once instead of at the
-- end of their lease, except a row whose send has begun (send_until).
-- Each claim gives its row a new fence, and a send begins only while the
-- row still carries the fence its sender claimed it with.

CREATE TABLE outbox_senders (
    worker      text        PRIMARY KEY,
    alive_until timestamptz NOT NULL
);

CREATE SEQUENCE outbox_fence;

ALTER TABLE outbox
    ADD COLUMN fence      bigint NOT NULL DEFAULT 0,
    -- While a send is in flight: until when the row stays its sender's
    -- whatever its heartbeat says.
    ADD COLUMN send_until timestamptz;
