-- The queue index holds only the queued rows, in the order a delivery pass claims them (OutboxDispatcher): a row that
-- is sent, skipped or failed leaves it instead of getting a new entry, and a claim reads the batch it takes in order.
-- The index it replaces led with the status, so every status change added an entry to it. (PostgreSQL's twin of this
-- migration also leaves room on each page for the lease's update; SQLite has no such setting.)
CREATE INDEX ix_outbox_queue ON outbox_messages (next_attempt_utc_ms, id) WHERE status = 'queued';
DROP INDEX ix_outbox_due;
