-- Campaign dispatch. Each recipient's text is rendered when the campaign is created (a variable
-- the row lacks is refused then, not halfway through the sending), and kept in its import order.
-- `attempt_started_at` is written, and committed, before each provider call and cleared when its
-- outcome is recorded: a recipient whose dispatcher died while it was set may have been sent, and
-- becomes uncertain instead of being sent again.
ALTER TABLE campaign_recipients ADD COLUMN body TEXT CHECK (body IS NULL OR length(body) BETWEEN 1 AND 4096);
ALTER TABLE campaign_recipients ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaign_recipients ADD COLUMN attempt_started_at REAL;
-- After an attempt that may pass (a timeout, a 5xx), the next is due then (the recipient is pending again).
ALTER TABLE campaign_recipients ADD COLUMN next_attempt_at REAL;
DROP INDEX campaign_recipients_pending_idx;
CREATE INDEX campaign_recipients_pending_idx ON campaign_recipients (campaign_id, position) WHERE status = 'pending';
CREATE INDEX campaign_recipients_claimed_idx ON campaign_recipients (campaign_id, lease_expires_at) WHERE status = 'claimed';
CREATE INDEX messages_campaign_idx ON messages (campaign_id) WHERE campaign_id IS NOT NULL;

-- A unit's sends are paced across every process that sends its campaigns: each send takes the
-- next slot from this row (`next_slot_at` moves forward by the campaign's interval, and by its
-- batch pause after `batch_sent` reaches the batch size).
CREATE TABLE unit_send_pacing (
    unit_id      TEXT PRIMARY KEY NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    next_slot_at REAL NOT NULL,
    batch_sent   INTEGER NOT NULL DEFAULT 0 CHECK (batch_sent >= 0),
    updated_at   REAL NOT NULL
) STRICT;
