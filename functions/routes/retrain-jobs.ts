// /api/admin/retrain-jobs/*: retraining asked for from the admin page and done by a trainer
// (training/trainer.py). Mounted by admin.ts, behind its bearer token.
//   GET  /               the latest jobs, newest first
//   POST /               queues a job (409 while one is queued or running)
//   POST /claim          the trainer takes the oldest queued job: {"job": {...}} or {"job": null}
//   POST /:id/progress   {"progress": "..."}: the trainer's latest line
//   POST /:id/finish     {"state": "accepted"|"refused"|"failed", "result": {...}, "progress"?: "..."}
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { limitBody } from '../http/body-limit.ts';
import { requireJson } from '../http/require-json.ts';
import { parseOrThrow, readJson, validate } from '../http/validate.ts';
import { createSqlRetrainJobs, FINAL_STATES, JOB_ID, JobOpenError, type RetrainJob } from '../store/retrain-jobs.ts';
import { SqlStore } from '../store/sql-store.ts';

const LISTED = 20;
/** A retraining outcome is a few KB; the card's lists of row ids stay in the card, not here. */
const BODY_BYTES = 256 * 1024;
const PROGRESS_CHARS = 500;

const progressSchema = z.object({ progress: z.string().max(PROGRESS_CHARS) });
const finishSchema = z.object({
  state: z.enum(FINAL_STATES),
  result: z.record(z.string(), z.unknown()).nullable(),
  progress: z.string().max(PROGRESS_CHARS).optional(),
});
const idParam = validate('param', z.object({ id: z.string().regex(JOB_ID) }), 'retrain-job-not-found', 404);

function jobsOf(c: Context<AppEnv>) {
  const store = c.var.store;
  if (!(store instanceof SqlStore)) throw new ApiError(404, 'not-found', 'This server keeps no retraining jobs');
  return createSqlRetrainJobs(store.client);
}

/** A job that is not running (finished, still queued, or unknown) takes no progress and no verdict. */
async function running(c: Context<AppEnv>, id: string, job: RetrainJob | null): Promise<RetrainJob> {
  if (job) return job;
  const known = await jobsOf(c).get(id);
  if (!known) throw new ApiError(404, 'retrain-job-not-found', `No retraining job ${id}`);
  throw new ApiError(409, 'retrain-job-not-running', `Retraining job ${id} is ${known.state}, not running`);
}

export function retrainJobRoutes() {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ jobs: await jobsOf(c).list(LISTED) }))
    .post('/', async (c) => {
      try {
        return c.json({ job: await jobsOf(c).queue() }, 201);
      } catch (error) {
        if (error instanceof JobOpenError) throw new ApiError(409, 'retrain-job-open', `${error.message}; wait for it to finish`);
        throw error;
      }
    })
    .post('/claim', async (c) => c.json({ job: await jobsOf(c).claim() }))
    .post('/:id/progress', idParam, requireJson, limitBody(BODY_BYTES), async (c) => {
      const { id } = c.req.valid('param');
      const { progress } = parseOrThrow(progressSchema, await readJson(c), 'invalid-progress');
      return c.json({ job: await running(c, id, await jobsOf(c).report(id, progress)) });
    })
    .post('/:id/finish', idParam, requireJson, limitBody(BODY_BYTES), async (c) => {
      const { id } = c.req.valid('param');
      const body = parseOrThrow(finishSchema, await readJson(c), 'invalid-verdict');
      return c.json({ job: await running(c, id, await jobsOf(c).finish(id, body.state, body.result, body.progress)) });
    });
}
