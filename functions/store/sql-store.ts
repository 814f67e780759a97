// The SQL shared by both stores. Each driver only supplies `query` and `exec`; every value travels
// as a bind parameter, never spliced into the SQL text.
import type {
  LabeledRow,
  NewPrediction,
  PageKey,
  PredictionRow,
  Source,
  StatsCounts,
  Store,
} from './store.ts';
import { StoreUnavailableError } from './store.ts';
import { createBatcher } from './batcher.ts';
import { applyMigrations, type Migration } from './migrations.ts';

export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script without parameters (a migration). */
  exec(script: string): Promise<void>;
}

export interface SqlClient extends SqlSession {
  /** Runs `work` on one connection held throughout (transactions, session locks), then gives it back. */
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Timestamps leave the database as fixed-format UTC text with microseconds: both drivers then agree,
// and a page key round-trips exactly (a JS Date would drop the microseconds).
const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const PREDICTION_COLUMNS = `id, ${ts('created_at')} AS created_at, predicted_digit, confidence, probabilities,
  true_label, ${ts('labeled_at')} AS labeled_at, model_version, source`;

interface PredictionRecord {
  id: string;
  created_at: string;
  predicted_digit: number;
  confidence: number;
  probabilities: number[];
  true_label: number | null;
  labeled_at: string | null;
  model_version: string;
  source: Source;
}

const toPrediction = (r: PredictionRecord): PredictionRow => ({
  id: r.id,
  createdAt: r.created_at,
  predictedDigit: Number(r.predicted_digit),
  confidence: Number(r.confidence),
  probabilities: r.probabilities.map(Number),
  trueLabel: r.true_label === null ? null : Number(r.true_label),
  labeledAt: r.labeled_at,
  modelVersion: r.model_version,
  source: r.source,
});

// count() is int8: pg returns it as a string and PGlite as a number, so it is cast to int4 here.
const COUNTS = `count(*)::int AS total, count(true_label)::int AS labeled,
  count(*) FILTER (WHERE true_label = predicted_digit)::int AS correct`;

/** Multi-row INSERTs in flight at once: more rows wait and go in the next one. */
const INSERTS_IN_FLIGHT = 2;
/** 7 parameters a row: far below PostgreSQL's 65,535 bind parameters. */
const MAX_ROWS_PER_INSERT = 256;

export class SqlStore implements Store {
  constructor(
    private readonly client: SqlClient,
    private readonly migrations: readonly Migration[],
  ) {}

  /** Brings the database up to the newest migration; replicas starting at once wait for each other. */
  async init(): Promise<void> {
    await applyMigrations(this.client, this.migrations);
  }

  async ping(): Promise<void> {
    await this.client.query('SELECT 1');
  }

  /**
   * Concurrent predictions share one multi-row INSERT (see batcher.ts): under load that is one round trip,
   * one statement and one commit for many rows. Each caller is answered once its row is committed.
   */
  readonly insertPrediction: (p: NewPrediction) => Promise<PredictionRow> = createBatcher((rows) => this.insertMany(rows), {
    maxInFlight: INSERTS_IN_FLIGHT,
    maxItems: MAX_ROWS_PER_INSERT,
    // A refused row (a CHECK, a duplicate id) is retried alone so that only its own request fails;
    // an unreachable database fails them all at once.
    retrySingly: (error) => !(error instanceof StoreUnavailableError),
  });

  /** Several rows in one statement, answered in the order given (what a batch of insertPrediction runs). */
  async insertMany(batch: NewPrediction[]): Promise<PredictionRow[]> {
    const values = batch.map((_, i) => `(${Array.from({ length: 7 }, (_, c) => `$${i * 7 + c + 1}`).join(', ')})`);
    const rows = await this.client.query<PredictionRecord>(
      `INSERT INTO predictions (id, predicted_digit, confidence, probabilities, model_version, source, input)
       VALUES ${values.join(', ')}
       RETURNING ${PREDICTION_COLUMNS}`,
      batch.flatMap((p) => [p.id, p.predictedDigit, p.confidence, p.probabilities, p.modelVersion, p.source, p.input]),
    );
    // RETURNING gives no order guarantee: rows are matched to callers by id.
    const byId = new Map(rows.map((r) => [r.id, r]));
    return batch.map((p) => {
      const row = byId.get(p.id);
      if (!row) throw new Error(`the insert returned no row for ${p.id}`);
      return toPrediction(row);
    });
  }

  async setTrueLabel(id: string, trueLabel: number): Promise<PredictionRow | null> {
    const rows = await this.client.query<PredictionRecord>(
      `UPDATE predictions SET true_label = $2, labeled_at = now() WHERE id = $1
       RETURNING ${PREDICTION_COLUMNS}`,
      [id, trueLabel],
    );
    return rows[0] ? toPrediction(rows[0]) : null;
  }

  async listPredictions(limit: number, after: PageKey | null): Promise<PredictionRow[]> {
    const rows = after
      ? await this.client.query<PredictionRecord>(
          `SELECT ${PREDICTION_COLUMNS} FROM predictions
           WHERE (created_at, id) < ($2::timestamptz, $3::text)
           ORDER BY created_at DESC, id DESC LIMIT $1`,
          [limit, after.createdAt, after.id],
        )
      : await this.client.query<PredictionRecord>(
          `SELECT ${PREDICTION_COLUMNS} FROM predictions ORDER BY created_at DESC, id DESC LIMIT $1`,
          [limit],
        );
    return rows.map(toPrediction);
  }

  async listLabeled(limit: number, after: PageKey | null): Promise<LabeledRow[]> {
    const rows = await this.client.query<{
      id: string;
      created_at: string;
      true_label: number;
      model_version: string;
      input: Uint8Array;
    }>(
      `SELECT id, ${ts('created_at')} AS created_at, true_label, model_version, input FROM predictions
       WHERE true_label IS NOT NULL AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::text))
       ORDER BY created_at, id LIMIT $1`,
      [limit, after?.createdAt ?? null, after?.id ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      trueLabel: Number(r.true_label),
      modelVersion: r.model_version,
      input: new Uint8Array(r.input),
    }));
  }

  async stats(): Promise<StatsCounts> {
    type Counts = { total: number; labeled: number; correct: number };
    const [totals, confusion, byModel] = await Promise.all([
      this.client.query<Counts>(`SELECT ${COUNTS} FROM predictions`),
      this.client.query<{ true_label: number; predicted_digit: number; count: number }>(
        `SELECT true_label, predicted_digit, count(*)::int AS count FROM predictions
         WHERE true_label IS NOT NULL GROUP BY true_label, predicted_digit`,
      ),
      this.client.query<Counts & { model_version: string }>(
        `SELECT model_version, ${COUNTS} FROM predictions GROUP BY model_version ORDER BY model_version`,
      ),
    ]);
    const t = totals[0]!;
    return {
      total: Number(t.total),
      labeled: Number(t.labeled),
      correct: Number(t.correct),
      confusion: confusion.map((c) => ({
        trueLabel: Number(c.true_label),
        predictedDigit: Number(c.predicted_digit),
        count: Number(c.count),
      })),
      byModel: byModel.map((m) => ({
        modelVersion: m.model_version,
        total: Number(m.total),
        labeled: Number(m.labeled),
        correct: Number(m.correct),
      })),
    };
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
