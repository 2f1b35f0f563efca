-- crm_store_inbound_batch plans its statements once per connection, at the connection's first
-- batch, and keeps those plans (generic, 0011) until an ANALYZE of its tables invalidates them.
-- Planned while the tables were still empty or never analyzed (a new deployment, a database
-- just restored, the benchmark's fresh database), they looked messages and conversations up by
-- sequential scans and hash joins, and kept doing so as the tables grew: a batch then read the
-- whole messages table, until autovacuum's next ANALYZE, which a busy or misconfigured server
-- may not run for a long time. Every statement of the function finds its rows by a key, so it
-- is planned without sequential scans, hash joins or merge joins: index lookups whatever the
-- statistics say. (The settings apply inside the function only.)
ALTER FUNCTION crm_store_inbound_batch(jsonb) SET enable_seqscan = off;
ALTER FUNCTION crm_store_inbound_batch(jsonb) SET enable_hashjoin = off;
ALTER FUNCTION crm_store_inbound_batch(jsonb) SET enable_mergejoin = off;
