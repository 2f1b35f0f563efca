-- The listener's outbound worker claims the oldest due queued messages first (ORDER BY queued_at,
-- id … LIMIT n). This index holds the queued rows only, in that order; a message leaves it when it
-- is sent or failed. It replaces the index on next_attempt_at, which no query uses.
-- Its predicate names the direction too (queued implies outbound): only the queue's own queries,
-- which say both, can use it. A statement that finds one message by id and checks that it is
-- still queued then always goes through the primary key, even when the statistics predate a burst
-- of queued messages and make this index look small.
DROP INDEX messages_outbound_queue_idx;
CREATE INDEX messages_outbound_due_idx ON messages (queued_at, id) WHERE status = 'queued' AND direction = 'outbound';
