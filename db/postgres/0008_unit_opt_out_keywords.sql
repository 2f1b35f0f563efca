-- A unit's own opt-out keywords: a JSON array of the words as set (`crm units update
-- --opt-out-keywords`); an inbound text that is one of them, whole, opts its contact out. NULL:
-- crm's defaults (STOP, PARAR, SAIR, CANCELAR), so that a change of the defaults reaches every
-- unit that kept them.
ALTER TABLE units ADD COLUMN opt_out_keywords jsonb;
ALTER TABLE units ADD CONSTRAINT units_opt_out_keywords_check
    CHECK (opt_out_keywords IS NULL OR CASE WHEN jsonb_typeof(opt_out_keywords) = 'array'
                                            THEN jsonb_array_length(opt_out_keywords) BETWEEN 1 AND 20 ELSE false END);
