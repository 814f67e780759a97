// Retraining jobs (table retrain_jobs): queued from the admin page, claimed and finished by a trainer
// (training/trainer.py) through the admin API. The same SQL runs on PostgreSQL and on PGlite; each
// transition is one statement that checks the state it leaves, so two trainers never hold one job.
import type { SqlQuery } from './model-registry.ts';

export const JOB_STATES = ['queued', 'running', 'accepted', 'refused', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];
/** How a running job can end: the gate's verdict, or the run itself broke. */
export const FINAL_STATES = ['accepted', 'refused', 'failed'] as const;
export type FinalState = (typeof FINAL_STATES)[number];

export interface RetrainJob {
  id: string;
  state: JobState;
  progress: string;
  /** What retraining wrote (--result): accepted, parent, version, gate figures, reasons. */
  result: Record<string, unknown> | null;
  /** ISO 8601, UTC; started and finished are null until then. */
  requestedAt: string;
  startedAt: string | null;
  updatedAt: string;
  finishedAt: string | null;
}

/** A job is already queued or running: one at a time. */
export class JobOpenError extends Error {
  constructor() {
    super('a retraining job is already queued or running');
    this.name = 'JobOpenError';
  }
}

export interface RetrainJobs {
  /** Queues a job; JobOpenError when one is queued or running (a running one silent for STALE_SECONDS is failed first). */
  queue(): Promise<RetrainJob>;
  /** Newest first. */
  list(limit: number): Promise<RetrainJob[]>;
  get(id: string): Promise<RetrainJob | null>;
  /** Marks the oldest queued job running and returns it; null when none waits. */
  claim(): Promise<RetrainJob | null>;
  /** Sets a running job's progress line; null when it is not running (or unknown). */
  report(id: string, progress: string): Promise<RetrainJob | null>;
  /** Ends a running job; null when it is not running (or unknown). */
  finish(id: string, state: FinalState, result: Record<string, unknown> | null, progress?: string): Promise<RetrainJob | null>;
}

const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
const COLUMNS = `id::text AS id, state, progress, result, ${ts('requested_at')}, ${ts('started_at')}, ${ts('updated_at')}, ${ts('finished_at')}`;

interface JobRecord {
  id: string;
  state: JobState;
  progress: string;
  result: Record<string, unknown> | string | null;
  requested_at: string;
  started_at: string | null;
  updated_at: string;
  finished_at: string | null;
}

const toJob = (r: JobRecord): RetrainJob => ({
  id: r.id,
  state: r.state,
  progress: r.progress,
  result: typeof r.result === 'string' ? (JSON.parse(r.result) as Record<string, unknown>) : r.result,
  requestedAt: r.requested_at,
  startedAt: r.started_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

const UNIQUE_VIOLATION = '23505';
/** A running job with no progress for this long has lost its trainer (retraining reports every 20 s or so). */
export const STALE_SECONDS = 30 * 60;
/** Ids are bigint: anything else is simply not a job (and never reaches the SQL as a bad cast). */
export const JOB_ID = /^[1-9][0-9]{0,17}$/;

export function createSqlRetrainJobs(db: SqlQuery): RetrainJobs {
  const one = async (sql: string, params: unknown[] = []) => {
    const rows = await db.query<JobRecord>(sql, params);
    return rows[0] ? toJob(rows[0]) : null;
  };
  return {
    async queue() {
      // A trainer that died mid-job leaves it running: once silent that long it is failed, and no longer blocks.
      await db.query(
        `UPDATE retrain_jobs SET state = 'failed', progress = 'failed: the trainer stopped reporting',
           updated_at = now(), finished_at = now()
         WHERE state = 'running' AND updated_at < now() - make_interval(secs => $1)`,
        [STALE_SECONDS],
      );
      try {
        return (await one(`INSERT INTO retrain_jobs DEFAULT VALUES RETURNING ${COLUMNS}`))!;
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code === UNIQUE_VIOLATION) throw new JobOpenError();
        throw error;
      }
    },

    async list(limit) {
      const rows = await db.query<JobRecord>(`SELECT ${COLUMNS} FROM retrain_jobs ORDER BY id DESC LIMIT $1`, [limit]);
      return rows.map(toJob);
    },

    get: (id) => one(`SELECT ${COLUMNS} FROM retrain_jobs WHERE id = $1`, [id]),

    // SKIP LOCKED: trainers claiming at once each get a different job, or none, never the same one.
    claim: () =>
      one(
        `UPDATE retrain_jobs SET state = 'running', started_at = now(), updated_at = now(), progress = 'started'
         WHERE id = (SELECT id FROM retrain_jobs WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING ${COLUMNS}`,
      ),

    report: (id, progress) =>
      one(
        `UPDATE retrain_jobs SET progress = $2, updated_at = now() WHERE id = $1 AND state = 'running' RETURNING ${COLUMNS}`,
        [id, progress],
      ),

    finish: (id, state, result, progress) =>
      one(
        `UPDATE retrain_jobs SET state = $2, result = $3::jsonb, progress = COALESCE($4, progress),
           updated_at = now(), finished_at = now()
         WHERE id = $1 AND state = 'running' RETURNING ${COLUMNS}`,
        [id, state, result === null ? null : JSON.stringify(result), progress ?? null],
      ),
  };
}
