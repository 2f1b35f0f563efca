-- Identifiers are compared byte by byte: phone numbers, provider names, the providers' message
-- ids, client message ids, WhatsApp LIDs and webhook dedupe keys only ever meet equality and the
-- unique indexes that enforce it, and no person reads them in a linguistic order. Under the
-- database's collation (en_US.UTF-8 is a common default; even C.UTF-8 is not PostgreSQL's "C")
-- every comparison in those indexes went through the C library's strcoll; under "C" it is a
-- memcmp. Each message stored goes down four such indexes (webhook_events' dedupe key, messages'
-- provider id and client id, contacts' phone), some of them more than once.
-- crm orders no rows by them (and digits sort the same under every collation).
-- Changing a column's collation keeps its rows as they are but rebuilds the indexes over it,
-- holding the table's lock meanwhile: see docs/operations.md (upgrades) for how long that takes.
ALTER TABLE contacts
    ALTER COLUMN phone TYPE text COLLATE "C",
    ALTER COLUMN lid TYPE text COLLATE "C";

ALTER TABLE messages
    ALTER COLUMN provider TYPE text COLLATE "C",
    ALTER COLUMN external_id TYPE text COLLATE "C",
    ALTER COLUMN client_message_id TYPE text COLLATE "C";

ALTER TABLE webhook_events
    ALTER COLUMN provider TYPE text COLLATE "C",
    ALTER COLUMN dedupe_key TYPE text COLLATE "C";

ALTER TABLE pending_message_statuses
    ALTER COLUMN provider TYPE text COLLATE "C",
    ALTER COLUMN external_id TYPE text COLLATE "C";
