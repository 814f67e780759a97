// The one storage interface the API uses. Two implementations share the SQL in sql-store.ts:
// postgres-store.ts (any real PostgreSQL, over TCP or WebSockets) and pglite-store.ts (embedded, Node only).

export const SOURCES = ['canvas', 'upload', 'api'] as const;
export type Source = (typeof SOURCES)[number];

export interface NewPrediction {
  id: string;
  predictedDigit: number;
  confidence: number;
  probabilities: number[];
  modelVersion: string;
  source: Source;
  /** The 28x28 model input as bytes 0..255, row-major. */
  input: Uint8Array;
  /**
   * Who sent it, as the rate limiter knows them (an address; null for the machine itself). Only a keyed
   * hash of it is stored (client_hash), never the address.
   */
  client: string | null;
}

export interface PredictionRow {
  id: string;
  /** ISO 8601 with microseconds, exactly as stored: used for keyset paging. */
  createdAt: string;
  predictedDigit: number;
  confidence: number;
  probabilities: number[];
  trueLabel: number | null;
  labeledAt: string | null;
  modelVersion: string;
  source: Source;
}

/** A row of the public history. */
export interface HistoryRow extends PredictionRow {
  /** Insertion order: the history's page key, which unlike the id gives no right to label the row. */
  seq: string;
}

export interface LabeledRow {
  id: string;
  createdAt: string;
  predictedDigit: number;
  confidence: number;
  /** The keyed hash of the client that made the prediction; null for rows older than client hashes. */
  clientHash: string | null;
  trueLabel: number;
  modelVersion: string;
  input: Uint8Array;
}

/** Position after which the next page of the admin export starts (oldest first). */
export interface PageKey {
  createdAt: string;
  id: string;
}

/** Position after which the next page of the public history starts (newest first); holds no id. */
export interface HistoryKey {
  createdAt: string;
  seq: string;
}

export interface ConfusionCell {
  trueLabel: number;
  predictedDigit: number;
  count: number;
}

export interface ModelCounts {
  modelVersion: string;
  total: number;
  labeled: number;
  correct: number;
}

export interface StatsCounts {
  total: number;
  labeled: number;
  correct: number;
  confusion: ConfusionCell[];
  byModel: ModelCounts[];
}

export interface Store {
  /** Applies the migrations the database has not recorded yet. */
  init(): Promise<void>;
  /** Resolves when the database answers `select 1`. */
  ping(): Promise<void>;
  insertPrediction(row: NewPrediction): Promise<PredictionRow>;
  /** Sets (or replaces) the true label; null when the id is unknown. */
  setTrueLabel(id: string, trueLabel: number): Promise<PredictionRow | null>;
  /** Newest first, strictly after `after` when given. */
  listPredictions(limit: number, after: HistoryKey | null): Promise<HistoryRow[]>;
  /** Labeled rows oldest first, strictly after `after`, for the retraining export. */
  listLabeled(limit: number, after: PageKey | null): Promise<LabeledRow[]>;
  stats(): Promise<StatsCounts>;
  close(): Promise<void>;
}

/**
 * The database could not be reached or did not answer in time (connection refused or dropped, timeout,
 * server shutting down): the API answers 503 with Retry-After. Errors of the SQL itself stay as they are.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}
