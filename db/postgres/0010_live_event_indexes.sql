-- GET /events reads the messages changed since a moment (the live feed of the HTTP API).
CREATE INDEX messages_updated_idx ON messages (updated_at);
