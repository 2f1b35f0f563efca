-- The listener's batch of plain inbound messages in one call: one round trip and one implicit
-- transaction instead of BEGIN, six statements and COMMIT, and statements planned once per
-- connection instead of once per batch. It makes the decisions SQLStore+InboundBatch.swift makes
-- on SQLite (the same contract tests run against both):
--   * a body already stored is left to the one-by-one path (its item is not returned);
--   * a message already stored, or earlier in the batch, is a duplicate (returned without an id);
--   * contacts and conversations are found or created by their unique keys, locked in
--     (unit, phone) order so that two batches at once never deadlock;
--   * each conversation's summary moves to its newest new message, never back.
-- The caller removes bodies repeated within the batch and supplies the ids of the rows an item
-- may create (time-ordered, so the indexes grow at their end).

-- One batch item: the body as received, its message, and the ids for rows it may create.
CREATE TYPE crm_inbound_item AS (
    item                integer,
    body_id             uuid,
    body_unit_id        uuid,
    body_provider       text,
    event_type          text,
    instance            text,
    dedupe_key          text,
    body                text,
    result              text,
    body_received_at    float8,
    unit_id             uuid,
    provider            text,
    external_id         text,
    phone               text,
    name                text,
    type                text,
    text                text,
    preview             text,
    opts_out            boolean,
    sent_at             float8,
    received_at         float8,
    contact_id          uuid,
    conversation_id     uuid,
    message_id          uuid
);

-- Returns one row per item whose body was new: the id of its stored message, or NULL when the
-- message was a duplicate.
-- Generic plans always: left to choose, a connection whose first batches were small kept planning
-- every statement on every call (custom plans), and PostgreSQL's CPU per message doubled.
CREATE FUNCTION crm_store_inbound_batch(batch jsonb)
RETURNS TABLE (item_number integer, stored_message_id uuid)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    items crm_inbound_item[] := ARRAY(SELECT r FROM jsonb_populate_recordset(NULL::crm_inbound_item, batch) AS r);
    fresh integer[];
    stored_ids uuid[];
    stored_conversations uuid[];
BEGIN
    -- 1. The bodies.
    WITH inserted AS (
        INSERT INTO webhook_events (id, unit_id, provider, event_type, instance, dedupe_key, body, result, attempts,
                                    received_at, applied_at)
        SELECT i.body_id, i.body_unit_id, i.body_provider, i.event_type, i.instance, i.dedupe_key, i.body, i.result, 1,
               to_timestamp(i.body_received_at), to_timestamp(i.body_received_at)
        FROM unnest(items) AS i
        ORDER BY i.item
        ON CONFLICT (unit_id, provider, dedupe_key) DO NOTHING
        RETURNING id
    )
    SELECT array_agg(i.item) INTO fresh FROM unnest(items) AS i JOIN inserted ON inserted.id = i.body_id;

    -- 2. Contacts, conversations and messages, for the first item of each message not stored yet.
    WITH candidates AS (
        SELECT DISTINCT ON (i.unit_id, i.provider, i.external_id) i.*
        FROM unnest(items) AS i
        WHERE i.item = ANY (fresh)
          AND NOT EXISTS (SELECT 1 FROM messages AS m
                          WHERE m.unit_id = i.unit_id AND m.provider = i.provider AND m.external_id = i.external_id)
        ORDER BY i.unit_id, i.provider, i.external_id, i.item
    ), people AS (
        -- One contact per (unit, phone): the latest profile name in the batch, the latest time.
        SELECT c.unit_id, c.phone,
               (array_agg(c.contact_id ORDER BY c.item))[1] AS contact_id,
               (array_agg(c.conversation_id ORDER BY c.item))[1] AS conversation_id,
               (array_agg(c.name ORDER BY c.item DESC) FILTER (WHERE c.name IS NOT NULL))[1] AS name,
               to_timestamp(max(c.received_at)) AS at
        FROM candidates AS c
        GROUP BY c.unit_id, c.phone
    ), contact_rows AS (
        INSERT INTO contacts AS k (id, unit_id, phone, name, created_at, updated_at)
        SELECT p.contact_id, p.unit_id, p.phone, p.name, p.at, p.at
        FROM people AS p
        ORDER BY p.unit_id, p.phone
        ON CONFLICT (unit_id, phone) DO UPDATE SET name = COALESCE(excluded.name, k.name), updated_at = excluded.updated_at
        RETURNING k.id, k.unit_id, k.phone
    ), conversation_rows AS (
        INSERT INTO conversations AS v (id, unit_id, contact_id, created_at, updated_at)
        SELECT p.conversation_id, k.unit_id, k.id, p.at, p.at
        FROM contact_rows AS k JOIN people AS p ON p.unit_id = k.unit_id AND p.phone = k.phone
        ORDER BY k.unit_id, k.phone
        ON CONFLICT (unit_id, contact_id) DO UPDATE SET updated_at = excluded.updated_at
        RETURNING v.id, v.contact_id
    ), message_rows AS (
        -- One another listener stored since the check above is not returned: a duplicate.
        INSERT INTO messages (id, unit_id, conversation_id, contact_id, direction, type, body, external_id, provider,
                              status, received_at, created_at, updated_at)
        SELECT c.message_id, c.unit_id, v.id, k.id, 'inbound', c.type, c.text, c.external_id, c.provider,
               'received', to_timestamp(c.received_at), to_timestamp(c.sent_at), to_timestamp(c.received_at)
        FROM candidates AS c
        JOIN contact_rows AS k ON k.unit_id = c.unit_id AND k.phone = c.phone
        JOIN conversation_rows AS v ON v.contact_id = k.id
        ORDER BY c.item
        ON CONFLICT (unit_id, provider, external_id) DO NOTHING
        RETURNING id, conversation_id
    )
    SELECT array_agg(m.id), array_agg(m.conversation_id) INTO stored_ids, stored_conversations FROM message_rows AS m;

    -- 3. Contacts whose new message is an opt-out keyword, from the earliest such message.
    UPDATE contacts AS k SET opted_out = true, opted_out_at = o.at
    FROM (SELECT i.unit_id, i.phone, to_timestamp(min(i.received_at)) AS at
          FROM unnest(items) AS i
          WHERE i.opts_out AND i.message_id = ANY (stored_ids)
          GROUP BY i.unit_id, i.phone) AS o
    WHERE k.unit_id = o.unit_id AND k.phone = o.phone AND NOT k.opted_out;

    -- 4. Each conversation's summary from its newest new message (rows already locked in step 2).
    UPDATE conversations AS v SET
        last_message_id = CASE WHEN v.last_message_at IS NULL OR v.last_message_at <= s.at THEN s.message_id
                               ELSE v.last_message_id END,
        last_message_preview = CASE WHEN v.last_message_at IS NULL OR v.last_message_at <= s.at THEN s.preview
                                    ELSE v.last_message_preview END,
        last_message_at = CASE WHEN v.last_message_at IS NULL OR v.last_message_at <= s.at THEN s.at
                               ELSE v.last_message_at END,
        last_inbound_at = CASE WHEN v.last_inbound_at IS NULL OR v.last_inbound_at < s.inbound_at THEN s.inbound_at
                               ELSE v.last_inbound_at END,
        updated_at = s.now
    FROM (SELECT DISTINCT ON (st.conversation_id) st.conversation_id, i.message_id, i.preview,
                 to_timestamp(i.sent_at) AS at,
                 to_timestamp(max(i.sent_at) OVER (PARTITION BY st.conversation_id)) AS inbound_at,
                 to_timestamp(i.received_at) AS now
          FROM unnest(stored_ids, stored_conversations) AS st (message_id, conversation_id)
          JOIN unnest(items) AS i ON i.message_id = st.message_id
          ORDER BY st.conversation_id, i.sent_at DESC, i.item DESC) AS s
    WHERE v.id = s.conversation_id;

    RETURN QUERY
        SELECT i.item, CASE WHEN i.message_id = ANY (stored_ids) THEN i.message_id END
        FROM unnest(items) AS i
        WHERE i.item = ANY (fresh)
        ORDER BY i.item;
END
$$;
