-- A retried "Kirim" must not create a second campaign: the flow gives each
-- composition a key, unique when set.
ALTER TABLE campaigns ADD COLUMN idempotency_key text UNIQUE;
