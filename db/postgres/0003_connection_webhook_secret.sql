-- The unit's webhook secret, sealed with CRM_SECRET_KEY (AES-GCM) like the provider credentials,
-- so that `crm whatsapp connect` keeps one stable webhook URL and `crm webhook url` can print it
-- again. The listener still looks units up by webhook_secret_hash only.
ALTER TABLE unit_whatsapp_connections ADD COLUMN sealed_webhook_secret bytea;
