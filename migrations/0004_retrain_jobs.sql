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
