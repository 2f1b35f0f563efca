-- The template an outbound 'template' message sends (Meta Cloud API): {"name", "language",
-- "parameters"}. The body keeps a readable summary; this column is what is sent, so that a queued
-- template can be sent later and the same client message id with other parameters is a conflict.
ALTER TABLE messages ADD COLUMN template jsonb;
ALTER TABLE messages ADD CONSTRAINT messages_template_check
    CHECK (template IS NULL OR (type = 'template' AND jsonb_typeof(template) = 'object'));
