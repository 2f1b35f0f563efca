-- A conversation's contact, and a message's conversation and contact, belong to the same unit as
-- the row itself, as PostgreSQL's composite foreign keys (migrations 0012 and 0013 there) enforce. SQLite
-- cannot change a table's foreign keys without rebuilding the table, so triggers check the same
-- thing; the existing foreign keys still check that each referenced row exists and cascade.

CREATE TRIGGER conversations_contact_same_unit_insert BEFORE INSERT ON conversations
WHEN NOT EXISTS (SELECT 1 FROM contacts WHERE id = NEW.contact_id AND unit_id = NEW.unit_id)
BEGIN
    SELECT RAISE(ABORT, 'a conversation''s contact belongs to another unit');
END;

CREATE TRIGGER conversations_contact_same_unit_update BEFORE UPDATE OF unit_id, contact_id ON conversations
WHEN NOT EXISTS (SELECT 1 FROM contacts WHERE id = NEW.contact_id AND unit_id = NEW.unit_id)
BEGIN
    SELECT RAISE(ABORT, 'a conversation''s contact belongs to another unit');
END;

CREATE TRIGGER messages_conversation_same_unit_insert BEFORE INSERT ON messages
WHEN NOT EXISTS (SELECT 1 FROM conversations
                 WHERE id = NEW.conversation_id AND unit_id = NEW.unit_id AND contact_id = NEW.contact_id)
BEGIN
    SELECT RAISE(ABORT, 'a message''s conversation belongs to another unit or contact');
END;

CREATE TRIGGER messages_conversation_same_unit_update BEFORE UPDATE OF unit_id, conversation_id, contact_id ON messages
WHEN NOT EXISTS (SELECT 1 FROM conversations
                 WHERE id = NEW.conversation_id AND unit_id = NEW.unit_id AND contact_id = NEW.contact_id)
BEGIN
    SELECT RAISE(ABORT, 'a message''s conversation belongs to another unit or contact');
END;
