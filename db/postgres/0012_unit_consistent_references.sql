-- A conversation's contact, and a message's conversation and contact, belong to the same unit as
-- the row itself: the database now refuses a message whose conversation is another unit's (or
-- another contact's), where it only checked before that each referenced row existed somewhere.
--
-- One composite key per row replaces the separate ones, so an inbound message costs one
-- foreign-key check instead of three (each check is an index lookup and a row lock that writes
-- WAL): about 7 % of crm_store_inbound_batch's time. The cascades are unchanged in effect:
-- deleting a unit deletes its contacts, whose conversations and then messages follow.
--
-- The unique constraints are the keys the composite references point at (PostgreSQL needs one);
-- building them reads contacts and conversations once. The new references check new rows from
-- now on (NOT VALID); 0013 checks the rows already there, in a transaction of its own that lets
-- writes go on meanwhile.

ALTER TABLE contacts ADD CONSTRAINT contacts_unit_contact_key UNIQUE (unit_id, id);
ALTER TABLE conversations ADD CONSTRAINT conversations_id_unit_contact_key UNIQUE (id, unit_id, contact_id);

ALTER TABLE conversations
    DROP CONSTRAINT conversations_unit_id_fkey,
    DROP CONSTRAINT conversations_contact_id_fkey,
    ADD CONSTRAINT conversations_contact_fkey FOREIGN KEY (unit_id, contact_id)
        REFERENCES contacts (unit_id, id) ON DELETE CASCADE NOT VALID;

ALTER TABLE messages
    DROP CONSTRAINT messages_unit_id_fkey,
    DROP CONSTRAINT messages_conversation_id_fkey,
    DROP CONSTRAINT messages_contact_id_fkey,
    ADD CONSTRAINT messages_conversation_fkey FOREIGN KEY (conversation_id, unit_id, contact_id)
        REFERENCES conversations (id, unit_id, contact_id) ON DELETE CASCADE NOT VALID;
