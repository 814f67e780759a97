-- Digit Recognizer database schema: the numbered migrations in migrations/, in order, each recording
-- itself in schema_migrations. Generated from them; do not edit (the server applies migrations/ itself).
-- Rewrite it after adding a migration: npx tsx functions/store/write-schema.ts

CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

-- migrations/0001_predictions.sql
BEGIN;

-- The predictions table. Every prediction is kept with its model input so that corrected ones can be
-- used for retraining. IF NOT EXISTS because databases made before migrations were numbered already
-- hold exactly this table: on them this first migration changes nothing and is only recorded.

CREATE TABLE IF NOT EXISTS predictions (
  -- Opaque and unguessable (22 base64url characters from 128 random bits): ids appear in URLs.
  id              text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{22}$'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  predicted_digit smallint NOT NULL CHECK (predicted_digit BETWEEN 0 AND 9),
  confidence      real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  probabilities   real[] NOT NULL CHECK (cardinality(probabilities) = 10),
  -- NULL until someone confirms or corrects the prediction; a later correction replaces an earlier one.
  true_label      smallint CHECK (true_label BETWEEN 0 AND 9),
  labeled_at      timestamptz,
  model_version   text NOT NULL,
  source          text NOT NULL CHECK (source IN ('canvas', 'upload', 'api')),
  -- The 28x28 model input, row-major, white ink on black, one byte (0..255) a pixel.
  input           bytea NOT NULL CHECK (length(input) = 784),
  CHECK ((true_label IS NULL) = (labeled_at IS NULL))
);

-- Newest-first keyset paging of GET /api/predictions.
CREATE INDEX IF NOT EXISTS predictions_created_at_id_idx ON predictions (created_at DESC, id DESC);

-- Export of labeled rows for retraining.
CREATE INDEX IF NOT EXISTS predictions_labeled_idx ON predictions (created_at, id) WHERE true_label IS NOT NULL;

INSERT INTO schema_migrations (version, name) VALUES (1, 'predictions')
  ON CONFLICT (version) DO NOTHING;
COMMIT;

-- migrations/0002_clients_and_history_order.sql
BEGIN;

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

INSERT INTO schema_migrations (version, name) VALUES (2, 'clients_and_history_order')
  ON CONFLICT (version) DO NOTHING;
COMMIT;

-- migrations/0003_model_versions.sql
BEGIN;

-- Model versions, kept in the database so that every replica (Node servers, Worker isolates) serves the
-- same one without a shared disk: the .onnx bytes and card of each version, and which one is current.
-- Versions never change once added; a new version, a rollback or a promotion only moves model_current.

CREATE TABLE model_versions (
  -- As in the file names (digit-cnn-v3.onnx): retraining numbers them 1, 2, 3, ...
  version    text PRIMARY KEY CHECK (version ~ '^[A-Za-z0-9._-]{1,64}$'),
  name       text NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
  onnx       bytea NOT NULL,
  sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- The model card (training/export.py): how the version was made and what it scored.
  card       jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row: the version every replica serves. Replicas poll it, so it stays this small.
CREATE TABLE model_current (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   text NOT NULL REFERENCES model_versions (version),
  since     timestamptz NOT NULL DEFAULT now()
);

INSERT INTO schema_migrations (version, name) VALUES (3, 'model_versions')
  ON CONFLICT (version) DO NOTHING;
COMMIT;

-- migrations/0004_retrain_jobs.sql
BEGIN;

-- Retraining asked for from the admin page and done by a trainer process (training/trainer.py): the page
-- queues a job, a trainer claims the oldest queued one, reports progress and finishes it with the gate's
-- verdict. At most one job is queued or running at a time.

CREATE TABLE retrain_jobs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  state        text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'accepted', 'refused', 'failed')),
  -- The trainer's latest line of progress, shown as it is.
  progress     text NOT NULL DEFAULT '',
  -- The outcome as retraining writes it (--result): the gate's figures, reasons, the new version.
  result       jsonb,
  requested_at timestamptz NOT NULL DEFAULT now(),
  started_at   timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

-- One job waiting or in progress at most: a second request while one is open is refused.
CREATE UNIQUE INDEX retrain_jobs_one_open ON retrain_jobs ((true)) WHERE state IN ('queued', 'running');

INSERT INTO schema_migrations (version, name) VALUES (4, 'retrain_jobs')
  ON CONFLICT (version) DO NOTHING;
COMMIT;
