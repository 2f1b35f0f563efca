-- crm schema, version 1 (PostgreSQL). The single source of the schema on PostgreSQL and Supabase.
-- Timestamps are timestamptz, ids uuid, structured values jsonb. Every enum column has a CHECK.

CREATE TABLE units (
    id                   uuid PRIMARY KEY,
    name                 text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    slug                 text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND char_length(slug) <= 63),
    default_country_code text NOT NULL DEFAULT '55' CHECK (default_country_code ~ '^[1-9][0-9]{0,2}$'),
    timezone             text NOT NULL DEFAULT 'America/Sao_Paulo',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CONSTRAINT units_slug_key UNIQUE (slug)
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    unit_id       uuid REFERENCES units (id) ON DELETE CASCADE,
    email         text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    name          text CHECK (name IS NULL OR char_length(name) BETWEEN 1 AND 200),
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('super_admin', 'unit_admin', 'agent')),
    disabled_at   timestamptz,
    -- Bumped whenever the user's sessions must end (disabled, role or password changed).
    session_epoch integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CONSTRAINT users_role_unit_check CHECK ((role = 'super_admin') = (unit_id IS NULL))
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX users_unit_id_idx ON users (unit_id);

CREATE TABLE contacts (
    id           uuid PRIMARY KEY,
    unit_id      uuid NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    phone        text CHECK (phone ~ '^[0-9]{8,15}$'),
    lid          text CHECK (lid ~ '^[0-9]{1,32}$'),
    name         text,
    opted_out    boolean NOT NULL DEFAULT false,
    opted_out_at timestamptz,
    attributes   jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT contacts_address_check CHECK (phone IS NOT NULL OR lid IS NOT NULL),
    CONSTRAINT contacts_unit_phone_key UNIQUE (unit_id, phone),
    CONSTRAINT contacts_unit_lid_key UNIQUE (unit_id, lid)
);

CREATE TABLE conversations (
    id                   uuid PRIMARY KEY,
    unit_id              uuid NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    contact_id           uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    last_message_id      uuid,
    last_message_at      timestamptz,
    last_message_preview text,
    -- Meta allows free text only within 24 hours of the contact's last inbound message.
    last_inbound_at      timestamptz,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CONSTRAINT conversations_unit_contact_key UNIQUE (unit_id, contact_id)
);

CREATE TABLE campaigns (
    id                 uuid PRIMARY KEY,
    unit_id            uuid NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
    body_template      text NOT NULL CHECK (char_length(body_template) BETWEEN 1 AND 4096),
    status             text NOT NULL DEFAULT 'draft'
                       CHECK (status IN ('draft', 'running', 'paused', 'completed', 'cancelled')),
    rate_count         integer NOT NULL CHECK (rate_count > 0),
    rate_period_ms     integer NOT NULL CHECK (rate_period_ms > 0),
    batch_size         integer CHECK (batch_size IS NULL OR batch_size > 0),
    batch_pause_ms     integer NOT NULL DEFAULT 0 CHECK (batch_pause_ms >= 0),
    jitter_ms          integer NOT NULL DEFAULT 0 CHECK (jitter_ms >= 0),
    window_start       text CHECK (window_start ~ '^[0-2][0-9]:[0-5][0-9]$'),
    window_end         text CHECK (window_end ~ '^[0-2][0-9]:[0-5][0-9]$'),
    created_by         uuid REFERENCES users (id) ON DELETE SET NULL,
    started_at         timestamptz,
    completed_at       timestamptz,
    cancelled_at       timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CONSTRAINT campaigns_window_check CHECK ((window_start IS NULL) = (window_end IS NULL))
);
CREATE INDEX campaigns_unit_id_idx ON campaigns (unit_id, created_at);

CREATE TABLE messages (
    id                uuid PRIMARY KEY,
    unit_id           uuid NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    conversation_id   uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    contact_id        uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    campaign_id       uuid REFERENCES campaigns (id) ON DELETE SET NULL,
    direction         text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    type              text NOT NULL DEFAULT 'text'
                      CHECK (type IN ('text', 'image', 'video', 'audio', 'document', 'sticker', 'location',
                                      'contact', 'reaction', 'button_reply', 'list_reply', 'template', 'unknown')),
    body              text,
    media             jsonb,
    client_message_id text CHECK (client_message_id IS NULL OR char_length(client_message_id) BETWEEN 1 AND 200),
    external_id       text,
    provider          text CHECK (provider IN ('evolution', 'meta', 'zapi')),
    -- Outbound: queued -> sent -> delivered -> read, or failed (terminal). Inbound: received.
    status            text NOT NULL
                      CHECK (status IN ('queued', 'sent', 'delivered', 'read', 'failed', 'received')),
    retry_count       integer NOT NULL DEFAULT 0 CHECK (retry_count BETWEEN 0 AND 3),
    next_attempt_at   timestamptz,
    lease_owner       text,
    lease_expires_at  timestamptz,
    error_code        text,
    error_message     text,
    queued_at         timestamptz,
    sent_at           timestamptz,
    delivered_at      timestamptz,
    read_at           timestamptz,
    failed_at         timestamptz,
    received_at       timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    CONSTRAINT messages_direction_status_check CHECK ((direction = 'inbound') = (status = 'received')),
    CONSTRAINT messages_unit_client_message_id_key UNIQUE (unit_id, client_message_id),
    CONSTRAINT messages_unit_provider_external_id_key UNIQUE (unit_id, provider, external_id)
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at);
CREATE INDEX messages_unit_created_idx ON messages (unit_id, created_at);
CREATE INDEX messages_outbound_queue_idx ON messages (next_attempt_at) WHERE status = 'queued';

CREATE TABLE unit_whatsapp_connections (
    id                  uuid PRIMARY KEY,
    unit_id             uuid NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    provider            text NOT NULL CHECK (provider IN ('evolution', 'meta', 'zapi')),
    instance_name       text NOT NULL CHECK (char_length(instance_name) BETWEEN 1 AND 128),
    status              text NOT NULL DEFAULT 'disconnected'
                        CHECK (status IN ('qr', 'connecting', 'connected', 'disconnected')),
    status_reason       text CHECK (status_reason IN ('waiting_scan', 'scan_completed', 'disconnected', 'logged_out')),
    qr_code             text,
    pairing_code        text,
    phone               text CHECK (phone ~ '^[0-9]{8,15}$'),
    connected_at        timestamptz,
    disconnected_at     timestamptz,
    qr_updated_at       timestamptz,
    webhook_secret_hash text,
    sealed_credentials  bytea,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    CONSTRAINT unit_whatsapp_connections_unit_key UNIQUE (unit_id),
    CONSTRAINT unit_whatsapp_connections_instance_key UNIQUE (provider, instance_name),
    CONSTRAINT unit_whatsapp_connections_secret_key UNIQUE (webhook_secret_hash)
);

CREATE TABLE campaign_recipients (
    id               uuid PRIMARY KEY,
    campaign_id      uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    unit_id          uuid NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    contact_id       uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    phone            text NOT NULL CHECK (phone ~ '^[0-9]{8,15}$'),
    variables        jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(variables) = 'object'),
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'skipped', 'uncertain')),
    attempt          integer NOT NULL DEFAULT 0 CHECK (attempt BETWEEN 0 AND 3),
    message_id       uuid REFERENCES messages (id) ON DELETE SET NULL,
    lease_owner      text,
    lease_expires_at timestamptz,
    error            text,
    claimed_at       timestamptz,
    sent_at          timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT campaign_recipients_campaign_contact_key UNIQUE (campaign_id, contact_id)
);
CREATE INDEX campaign_recipients_pending_idx ON campaign_recipients (campaign_id) WHERE status = 'pending';

CREATE TABLE webhook_events (
    id          uuid PRIMARY KEY,
    unit_id     uuid REFERENCES units (id) ON DELETE CASCADE,
    provider    text NOT NULL CHECK (provider IN ('evolution', 'meta', 'zapi')),
    event_type  text NOT NULL,
    instance    text,
    dedupe_key  text NOT NULL,
    -- The body exactly as received (it may not be valid JSON: rejected bodies are kept for audit).
    body        text NOT NULL,
    result      text NOT NULL DEFAULT 'pending'
                CHECK (result IN ('pending', 'applied', 'duplicate', 'ignored', 'failed', 'invalid', 'unknown_instance')),
    error       text,
    attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    received_at timestamptz NOT NULL,
    applied_at  timestamptz,
    CONSTRAINT webhook_events_dedupe_key UNIQUE (unit_id, provider, dedupe_key)
);
CREATE INDEX webhook_events_received_idx ON webhook_events (received_at);
CREATE INDEX webhook_events_result_idx ON webhook_events (result) WHERE result IN ('failed', 'pending');

CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- Tokens rotated from one login share a family; reuse of a spent token revokes the family.
    family_id   uuid NOT NULL,
    token_hash  text NOT NULL,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
