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
