// The SQL shared by both stores. Each driver only supplies `query` and `exec`; every value travels
// as a bind parameter, never spliced into the SQL text.
import type {
  HistoryKey,
  HistoryRow,
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
import { loadClientHasher, type ClientHasher } from './client-hash.ts';
import { applyMigrations, type Migration } from './migrations.ts';

export interface QueryOptions {
  /**
   * Kept prepared on each connection that runs it, where the driver can: parsed and planned once, not on
   * every call. For a statement run over and over with the same text (one prediction's insert).
   */
  prepared?: boolean;
}

export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
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
/** 8 parameters a row: far below PostgreSQL's 65,535 bind parameters. */
const MAX_ROWS_PER_INSERT = 256;

/** Kept across stores of one database (a Worker's per-request stores), so the key is read once. */
export interface ClientHasherCache {
  hasher?: Promise<ClientHasher>;
}

export class SqlStore implements Store {
  constructor(
    /** Public so that other tables' SQL (store/model-registry.ts) shares the connection: PGlite has only one. */
    readonly client: SqlClient,
    private readonly migrations: readonly Migration[],
    private readonly hasherCache: ClientHasherCache = {},
  ) {}

  private clientHasher(): Promise<ClientHasher> {
    const cache = this.hasherCache;
    // A failed read (the database down) is not kept: the next insert tries again.
    return (cache.hasher ??= loadClientHasher(this.client).catch((error: unknown) => {
      cache.hasher = undefined;
      throw error;
    }));
  }

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
    const hash = await this.clientHasher();
    const clients = await Promise.all(batch.map((p) => hash(p.client)));
    const values = batch.map((_, i) => `(${Array.from({ length: 8 }, (_, c) => `$${i * 8 + c + 1}`).join(', ')})`);
    const rows = await this.client.query<PredictionRecord>(
      `INSERT INTO predictions (id, predicted_digit, confidence, probabilities, model_version, source, input, client_hash)
       VALUES ${values.join(', ')}
       RETURNING ${PREDICTION_COLUMNS}`,
      batch.flatMap((p, i) => [p.id, p.predictedDigit, p.confidence, p.probabilities, p.modelVersion, p.source, p.input, clients[i]]),
      // A lone prediction's insert, the one a request at a time waits for, skips parsing and planning
      // (0.15-0.2 ms of its 0.7-0.9 ms here); a batch of each size would be a statement of its own.
      { prepared: batch.length === 1 },
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

  async listPredictions(limit: number, after: HistoryKey | null): Promise<HistoryRow[]> {
    type Record = PredictionRecord & { seq: string };
    const columns = `${PREDICTION_COLUMNS}, seq::text AS seq`;
    const rows = after
      ? await this.client.query<Record>(
          `SELECT ${columns} FROM predictions
           WHERE (created_at, seq) < ($2::timestamptz, $3::bigint)
           ORDER BY created_at DESC, seq DESC LIMIT $1`,
          [limit, after.createdAt, after.seq],
        )
      : await this.client.query<Record>(`SELECT ${columns} FROM predictions ORDER BY created_at DESC, seq DESC LIMIT $1`, [limit]);
    return rows.map((r) => ({ ...toPrediction(r), seq: r.seq }));
  }

  async listLabeled(limit: number, after: PageKey | null): Promise<LabeledRow[]> {
    const rows = await this.client.query<{
      id: string;
      created_at: string;
      predicted_digit: number;
      confidence: number;
      client_hash: string | null;
      true_label: number;
      model_version: string;
      input: Uint8Array;
    }>(
      `SELECT id, ${ts('created_at')} AS created_at, predicted_digit, confidence, client_hash, true_label, model_version, input
       FROM predictions
       WHERE true_label IS NOT NULL AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::text))
       ORDER BY created_at, id LIMIT $1`,
      [limit, after?.createdAt ?? null, after?.id ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      predictedDigit: Number(r.predicted_digit),
      confidence: Number(r.confidence),
      clientHash: r.client_hash,
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
