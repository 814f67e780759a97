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
