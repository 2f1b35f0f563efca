-- Sessions of the HTTP API. A refresh token remembers the user's session epoch at its login, so
-- that disabling the user or changing its role, unit or password ends the sessions it had (the
-- next refresh is refused and its family revoked), and which token replaced it when it was used.
ALTER TABLE refresh_tokens ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;
ALTER TABLE refresh_tokens ADD COLUMN replaced_by uuid;
