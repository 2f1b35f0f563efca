-- Checks the rows written before 0012 against its references. VALIDATE CONSTRAINT reads the
-- table under a lock that still lets rows be inserted and updated, so listeners go on storing
-- webhooks while it reads messages. crm never wrote a row that fails it; a database edited by
-- hand might, and then this migration fails and names the constraint.
ALTER TABLE conversations VALIDATE CONSTRAINT conversations_contact_fkey;
ALTER TABLE messages VALIDATE CONSTRAINT messages_conversation_fkey;
