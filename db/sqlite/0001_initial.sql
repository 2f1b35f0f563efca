-- crm schema, version 1 (SQLite). The single source of the schema on SQLite.
-- Timestamps are REAL (seconds since 1970, UTC), ids TEXT (UUID), JSON TEXT checked by json_valid.
-- Every enum column has a CHECK. Foreign keys need PRAGMA foreign_keys=ON, which crm sets on every connection.

CREATE TABLE units (
    id                   TEXT PRIMARY KEY NOT NULL,
    name                 TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug                 TEXT NOT NULL CHECK (slug NOT GLOB '*[^a-z0-9-]*' AND slug NOT GLOB '-*' AND slug NOT GLOB '*-' AND slug NOT GLOB '*--*' AND length(slug) >= 1 AND length(slug) <= 63),
    default_country_code TEXT NOT NULL DEFAULT '55' CHECK (default_country_code NOT GLOB '*[^0-9]*' AND default_country_code NOT GLOB '0*' AND length(default_country_code) BETWEEN 1 AND 3),
    timezone             TEXT NOT NULL DEFAULT 'America/Sao_Paulo',
    created_at           REAL NOT NULL,
    updated_at           REAL NOT NULL,
    CONSTRAINT units_slug_key UNIQUE (slug)
) STRICT;

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    unit_id       TEXT REFERENCES units (id) ON DELETE CASCADE,
    email         TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name          TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200),
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('super_admin', 'unit_admin', 'agent')),
    disabled_at   REAL,
    -- Bumped whenever the user's sessions must end (disabled, role or password changed).
    session_epoch INTEGER NOT NULL DEFAULT 0,
    created_at    REAL NOT NULL,
    updated_at    REAL NOT NULL,
    CONSTRAINT users_role_unit_check CHECK ((role = 'super_admin') = (unit_id IS NULL))
) STRICT;
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX users_unit_id_idx ON users (unit_id);

CREATE TABLE contacts (
    id           TEXT PRIMARY KEY NOT NULL,
    unit_id      TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    phone        TEXT CHECK (phone NOT GLOB '*[^0-9]*' AND length(phone) BETWEEN 8 AND 15),
    lid          TEXT CHECK (lid NOT GLOB '*[^0-9]*' AND length(lid) BETWEEN 1 AND 32),
    name         TEXT,
    opted_out    INTEGER NOT NULL DEFAULT 0 CHECK (opted_out IN (0, 1)),
    opted_out_at REAL,
    attributes   TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes) AND json_type(attributes) = 'object'),
    created_at   REAL NOT NULL,
    updated_at   REAL NOT NULL,
    CONSTRAINT contacts_address_check CHECK (phone IS NOT NULL OR lid IS NOT NULL),
    CONSTRAINT contacts_unit_phone_key UNIQUE (unit_id, phone),
    CONSTRAINT contacts_unit_lid_key UNIQUE (unit_id, lid)
) STRICT;

CREATE TABLE conversations (
    id                   TEXT PRIMARY KEY NOT NULL,
    unit_id              TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    contact_id           TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    last_message_id      TEXT,
    last_message_at      REAL,
    last_message_preview TEXT,
    -- Meta allows free TEXT only within 24 hours of the contact's last inbound message.
    last_inbound_at      REAL,
    created_at           REAL NOT NULL,
    updated_at           REAL NOT NULL,
    CONSTRAINT conversations_unit_contact_key UNIQUE (unit_id, contact_id)
) STRICT;

CREATE TABLE campaigns (
    id                 TEXT PRIMARY KEY NOT NULL,
    unit_id            TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    body_template      TEXT NOT NULL CHECK (length(body_template) BETWEEN 1 AND 4096),
    status             TEXT NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'running', 'paused', 'completed', 'cancelled')),
    rate_count         INTEGER NOT NULL CHECK (rate_count > 0),
    rate_period_ms     INTEGER NOT NULL CHECK (rate_period_ms > 0),
    batch_size         INTEGER CHECK (batch_size IS NULL OR batch_size > 0),
    batch_pause_ms     INTEGER NOT NULL DEFAULT 0 CHECK (batch_pause_ms >= 0),
    jitter_ms          INTEGER NOT NULL DEFAULT 0 CHECK (jitter_ms >= 0),
    window_start       TEXT CHECK (window_start GLOB '[0-2][0-9]:[0-5][0-9]'),
    window_end         TEXT CHECK (window_end GLOB '[0-2][0-9]:[0-5][0-9]'),
    created_by         TEXT REFERENCES users (id) ON DELETE SET NULL,
    started_at         REAL,
    completed_at       REAL,
    cancelled_at       REAL,
    created_at         REAL NOT NULL,
    updated_at         REAL NOT NULL,
    CONSTRAINT campaigns_window_check CHECK ((window_start IS NULL) = (window_end IS NULL))
) STRICT;
CREATE INDEX campaigns_unit_id_idx ON campaigns (unit_id, created_at);

CREATE TABLE messages (
    id                TEXT PRIMARY KEY NOT NULL,
    unit_id           TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    conversation_id   TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    contact_id        TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    campaign_id       TEXT REFERENCES campaigns (id) ON DELETE SET NULL,
    direction         TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    type              TEXT NOT NULL DEFAULT 'text'
                      CHECK (type IN ('text', 'image', 'video', 'audio', 'document', 'sticker', 'location',
                                      'contact', 'reaction', 'button_reply', 'list_reply', 'template', 'unknown')),
    body              TEXT,
    media             TEXT CHECK (media IS NULL OR json_valid(media)),
    client_message_id TEXT CHECK (client_message_id IS NULL OR length(client_message_id) BETWEEN 1 AND 200),
    external_id       TEXT,
    provider          TEXT CHECK (provider IN ('evolution', 'meta', 'zapi')),
    -- Outbound: queued -> sent -> delivered -> read, or failed (terminal). Inbound: received.
    status            TEXT NOT NULL
                      CHECK (status IN ('queued', 'sent', 'delivered', 'read', 'failed', 'received')),
    retry_count       INTEGER NOT NULL DEFAULT 0 CHECK (retry_count BETWEEN 0 AND 3),
    next_attempt_at   REAL,
    lease_owner       TEXT,
    lease_expires_at  REAL,
    error_code        TEXT,
    error_message     TEXT,
    queued_at         REAL,
    sent_at           REAL,
    delivered_at      REAL,
    read_at           REAL,
    failed_at         REAL,
    received_at       REAL,
    created_at        REAL NOT NULL,
    updated_at        REAL NOT NULL,
    CONSTRAINT messages_direction_status_check CHECK ((direction = 'inbound') = (status = 'received')),
    CONSTRAINT messages_unit_client_message_id_key UNIQUE (unit_id, client_message_id),
    CONSTRAINT messages_unit_provider_external_id_key UNIQUE (unit_id, provider, external_id)
) STRICT;
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at);
CREATE INDEX messages_unit_created_idx ON messages (unit_id, created_at);
CREATE INDEX messages_outbound_queue_idx ON messages (next_attempt_at) WHERE status = 'queued';

CREATE TABLE unit_whatsapp_connections (
    id                  TEXT PRIMARY KEY NOT NULL,
    unit_id             TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    provider            TEXT NOT NULL CHECK (provider IN ('evolution', 'meta', 'zapi')),
    instance_name       TEXT NOT NULL CHECK (length(instance_name) BETWEEN 1 AND 128),
    status              TEXT NOT NULL DEFAULT 'disconnected'
                        CHECK (status IN ('qr', 'connecting', 'connected', 'disconnected')),
    status_reason       TEXT CHECK (status_reason IN ('waiting_scan', 'scan_completed', 'disconnected', 'logged_out')),
    qr_code             TEXT,
    pairing_code        TEXT,
    phone               TEXT CHECK (phone NOT GLOB '*[^0-9]*' AND length(phone) BETWEEN 8 AND 15),
    connected_at        REAL,
    disconnected_at     REAL,
    qr_updated_at       REAL,
    webhook_secret_hash TEXT,
    sealed_credentials  BLOB,
    created_at          REAL NOT NULL,
    updated_at          REAL NOT NULL,
    CONSTRAINT unit_whatsapp_connections_unit_key UNIQUE (unit_id),
    CONSTRAINT unit_whatsapp_connections_instance_key UNIQUE (provider, instance_name),
    CONSTRAINT unit_whatsapp_connections_secret_key UNIQUE (webhook_secret_hash)
) STRICT;

CREATE TABLE campaign_recipients (
    id               TEXT PRIMARY KEY NOT NULL,
    campaign_id      TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    unit_id          TEXT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    contact_id       TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    phone            TEXT NOT NULL CHECK (phone NOT GLOB '*[^0-9]*' AND length(phone) BETWEEN 8 AND 15),
    variables        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(variables) AND json_type(variables) = 'object'),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'skipped', 'uncertain')),
    attempt          INTEGER NOT NULL DEFAULT 0 CHECK (attempt BETWEEN 0 AND 3),
    message_id       TEXT REFERENCES messages (id) ON DELETE SET NULL,
    lease_owner      TEXT,
    lease_expires_at REAL,
    error            TEXT,
    claimed_at       REAL,
    sent_at          REAL,
    created_at       REAL NOT NULL,
    updated_at       REAL NOT NULL,
    CONSTRAINT campaign_recipients_campaign_contact_key UNIQUE (campaign_id, contact_id)
) STRICT;
CREATE INDEX campaign_recipients_pending_idx ON campaign_recipients (campaign_id) WHERE status = 'pending';

CREATE TABLE webhook_events (
    id          TEXT PRIMARY KEY NOT NULL,
    unit_id     TEXT REFERENCES units (id) ON DELETE CASCADE,
    provider    TEXT NOT NULL CHECK (provider IN ('evolution', 'meta', 'zapi')),
    event_type  TEXT NOT NULL,
    instance    TEXT,
    dedupe_key  TEXT NOT NULL,
    -- The body exactly as received (it may not be valid JSON: rejected bodies are kept for audit).
    body        TEXT NOT NULL,
    result      TEXT NOT NULL DEFAULT 'pending'
                CHECK (result IN ('pending', 'applied', 'duplicate', 'ignored', 'failed', 'invalid', 'unknown_instance')),
    error       TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    received_at REAL NOT NULL,
    applied_at  REAL,
    CONSTRAINT webhook_events_dedupe_key UNIQUE (unit_id, provider, dedupe_key)
) STRICT;
CREATE INDEX webhook_events_received_idx ON webhook_events (received_at);
CREATE INDEX webhook_events_result_idx ON webhook_events (result) WHERE result IN ('failed', 'pending');

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY NOT NULL,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Tokens rotated from one login share a family; reuse of a spent token revokes the family.
    family_id   TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    issued_at   REAL NOT NULL,
    expires_at  REAL NOT NULL,
    used_at     REAL,
    revoked_at  REAL,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
) STRICT;
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
