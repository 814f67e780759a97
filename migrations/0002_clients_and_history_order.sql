-- Who made each prediction, and a history order that is not the id.

-- A keyed hash (HMAC-SHA256, hex) of the client's address, never the address: retraining caps and
-- splits feedback by it, so one client cannot both teach a change and pass it. NULL on rows made
-- before this migration, whose clients are unknown.
ALTER TABLE predictions ADD COLUMN client_hash text CHECK (client_hash ~ '^[0-9a-f]{64}$');

-- Insertion order, numbered for the rows already there too. The public history pages by
-- (created_at, seq), so its cursor never carries an id: an id lets whoever holds it label the prediction.
ALTER TABLE predictions ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE INDEX predictions_created_at_seq_idx ON predictions (created_at DESC, seq DESC);
DROP INDEX predictions_created_at_id_idx;

-- Values the app keeps in the database, so every replica and every restart shares them.
CREATE TABLE settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);

-- The key of client_hash: 256 bits from two random UUIDs (244 random bits, PostgreSQL's strong random
-- source), made once here. Rotating it (UPDATE settings) makes later rows of a client look like a new one.
INSERT INTO settings (name, value)
VALUES ('client_hash_key', encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'));
