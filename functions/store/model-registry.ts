// Model versions in the database (table model_versions, and model_current naming the one every replica
// serves): the .onnx bytes, the card, and which one is current. The same SQL runs on PostgreSQL and on
// PGlite; each statement stands alone, so a version and its becoming current commit together.

/** A version as listed: everything but the bytes. */
export interface ModelVersion {
  name: string;
  version: string;
  sha256: string;
  /** Size of the .onnx in bytes. */
  size: number;
  /** ISO 8601, UTC. */
  createdAt: string;
  current: boolean;
  card: Record<string, unknown>;
}

/** A version with its bytes: what is published, and what a replica loads. */
export interface StoredModel {
  name: string;
  version: string;
  bytes: Uint8Array;
  card: Record<string, unknown>;
}

export interface ModelRegistry {
  /** Every version, oldest first. */
  list(): Promise<ModelVersion[]>;
  /** The version every replica should serve (one small row: the question replicas keep asking); null when none is. */
  current(): Promise<{ name: string; version: string } | null>;
  get(version: string): Promise<StoredModel | null>;
  /** Adds a version and makes it the current one, in one statement. */
  publish(model: StoredModel): Promise<void>;
  /** Makes a known version current; false when there is no such version. */
  setCurrent(version: string): Promise<boolean>;
  /** Publishes `model` as current only if no version is current yet (an empty database); true if it did. */
  seed(model: StoredModel): Promise<boolean>;
}

/** The version is already in the database: versions never change once published. */
export class ModelVersionExistsError extends Error {
  constructor(readonly version: string) {
    super(`model version ${version} already exists`);
    this.name = 'ModelVersionExistsError';
  }
}

/** The part of a SQL driver the registry needs (SqlClient in sql-store.ts). */
export interface SqlQuery {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

interface VersionRecord {
  name: string;
  version: string;
  sha256: string;
  size: number;
  created_at: string;
  current: boolean;
  card: Record<string, unknown> | string;
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

// jsonb comes back parsed from both drivers; a string is parsed in case a driver leaves it as text.
const cardOf = (card: Record<string, unknown> | string) => (typeof card === 'string' ? JSON.parse(card) : card) as Record<string, unknown>;

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

// Inserts a version from $1..$5 (name, version, onnx, sha256, card) when `condition` holds.
const insertVersion = (condition = 'true') => `INSERT INTO model_versions (name, version, onnx, sha256, card)
  SELECT $1, $2, $3, $4, $5::jsonb WHERE ${condition}`;

export function createSqlModelRegistry(db: SqlQuery): ModelRegistry {
  const params = async (m: StoredModel) => [m.name, m.version, m.bytes, await sha256Hex(m.bytes), JSON.stringify(m.card)];
  return {
    async list() {
      const rows = await db.query<VersionRecord>(
        `SELECT v.name, v.version, v.sha256, length(v.onnx) AS size, v.card,
           to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
           (c.version IS NOT NULL) AS current
         FROM model_versions v LEFT JOIN model_current c ON c.version = v.version
         ORDER BY v.created_at, v.version`,
      );
      return rows.map((r) => ({
        name: r.name,
        version: r.version,
        sha256: r.sha256,
        size: Number(r.size),
        createdAt: r.created_at,
        current: Boolean(r.current),
        card: cardOf(r.card),
      }));
    },

    async current() {
      const rows = await db.query<{ name: string; version: string }>(
        'SELECT v.name, v.version FROM model_current c JOIN model_versions v ON v.version = c.version',
      );
      return rows[0] ?? null;
    },

    async get(version) {
      const rows = await db.query<{ name: string; version: string; onnx: Uint8Array; card: Record<string, unknown> | string }>(
        'SELECT name, version, onnx, card FROM model_versions WHERE version = $1',
        [version],
      );
      const r = rows[0];
      return r ? { name: r.name, version: r.version, bytes: new Uint8Array(r.onnx), card: cardOf(r.card) } : null;
    },

    async publish(model) {
      try {
        // The current pointer moves in the statement that adds the version: never to a version not yet there.
        await db.query(
          `WITH added AS (${insertVersion()} RETURNING version)
           INSERT INTO model_current (singleton, version) SELECT true, version FROM added
           ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, since = now()`,
          await params(model),
        );
      } catch (error) {
        if (codeOf(error) === UNIQUE_VIOLATION) throw new ModelVersionExistsError(model.version);
        throw error;
      }
    },

    async setCurrent(version) {
      try {
        await db.query(
          `INSERT INTO model_current (singleton, version) VALUES (true, $1)
           ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, since = now()
           WHERE model_current.version IS DISTINCT FROM EXCLUDED.version`,
          [version],
        );
        return true;
      } catch (error) {
        if (codeOf(error) === FOREIGN_KEY_VIOLATION) return false;
        throw error;
      }
    },

    async seed(model) {
      // Replicas starting together on an empty database: the first seed commits, the others find a
      // version current (or the same version already added) and change nothing.
      const rows = await db.query<{ version: string }>(
        `WITH added AS (${insertVersion('NOT EXISTS (SELECT 1 FROM model_current)')}
           ON CONFLICT (version) DO NOTHING RETURNING version)
         INSERT INTO model_current (singleton, version) SELECT true, version FROM added
         ON CONFLICT (singleton) DO NOTHING RETURNING version`,
        await params(model),
      );
      return rows.length > 0;
    },
  };
}
