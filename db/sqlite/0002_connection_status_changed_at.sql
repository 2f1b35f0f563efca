-- When the connection's status last changed: the lifecycle ignores observations older than this
-- (a provider retrying a webhook late must not undo a newer state).
ALTER TABLE unit_whatsapp_connections ADD COLUMN status_changed_at REAL;
