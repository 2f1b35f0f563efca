-- Receipts that arrived before the message they name was recorded (a provider can report
-- "delivered" before our send call returns). Applied, forward only, when the message appears.
CREATE TABLE pending_message_statuses (
    unit_id       uuid NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    provider      text NOT NULL CHECK (provider IN ('evolution', 'meta', 'zapi')),
    external_id   text NOT NULL,
    status        text NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'read', 'failed')),
    error_code    text,
    error_message text,
    occurred_at   timestamptz NOT NULL,
    CONSTRAINT pending_message_statuses_key PRIMARY KEY (unit_id, provider, external_id, status)
);
