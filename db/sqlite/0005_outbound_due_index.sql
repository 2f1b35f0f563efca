-- The listener's outbound worker claims the oldest due queued messages first (ORDER BY queued_at,
-- id … LIMIT n). This index holds the queued rows only, in that order; a message leaves it when it
-- is sent or failed. It replaces the index on next_attempt_at, which no query uses.
DROP INDEX messages_outbound_queue_idx;
CREATE INDEX messages_outbound_due_idx ON messages (queued_at, id) WHERE status = 'queued';
