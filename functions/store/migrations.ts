// Numbered schema migrations (migrations/NNNN_name.sql), applied in order at start and recorded in
// schema_migrations, so a column added later reaches databases made earlier (CREATE TABLE IF NOT EXISTS
// alone would skip it). Runtime-neutral: Node reads the files (migration-files.ts), a Worker bundles them.
import type { SqlClient, SqlSession } from './sql-store.ts';

export interface Migration {
  version: number;
  /** The file name without its number and extension, e.g. "predictions". */
  name: string;
  sql: string;
}

export const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** A migration from its file name and text; throws on a name that does not follow NNNN_name.sql. */
export function migrationFromFile(file: string, sql: string): Migration {
  const match = MIGRATION_FILE.exec(file);
  if (!match) throw new Error(`migration file ${file} must be named NNNN_name.sql`);
  return { version: Number(match[1]), name: match[2]!, sql };
}

/** Sorted by version; throws on a repeated or missing number, so a gap is never silently skipped. */
export function inOrder(migrations: readonly Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1, 2, 3, ...: found ${m.version} at place ${i + 1}`);
  });
  return sorted;
}

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;

/**
 * Held for the whole run, so that replicas starting at once on one database apply each migration once:
 * the later ones wait, then find it recorded. A session-level advisory lock, released at the end or
 * when the connection drops. The number only has to differ from other advisory locks on the database.
 */
const MIGRATION_LOCK = 7_346_001;

/**
 * Applies the migrations not yet recorded, each in its own transaction together with its record; returns
 * the versions applied now (none when the database is current).
 */
export async function applyMigrations(client: SqlClient, migrations: readonly Migration[]): Promise<number[]> {
  const ordered = inOrder(migrations);
  return client.session(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await session.exec(MIGRATIONS_TABLE);
      const rows = await session.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((r) => Number(r.version)));
      const newer = [...applied].filter((v) => v > ordered.length);
      if (newer.length) {
        throw new Error(`the database has migration ${Math.max(...newer)}, newer than this code knows (${ordered.length}): run a newer version`);
      }
      const now: number[] = [];
      for (const m of ordered) {
        if (applied.has(m.version)) continue;
        await inTransaction(session, async () => {
          await session.exec(m.sql);
          await session.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        });
        now.push(m.version);
      }
      return now;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

async function inTransaction(session: SqlSession, work: () => Promise<void>): Promise<void> {
  await session.exec('BEGIN');
  try {
    await work();
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined); // the connection may be gone; the error says why
    throw error;
  }
}

/**
 * The current schema as one script: every migration in order, each recording itself, so that
 * `psql -f schema.sql` makes the same database the server would (and the server then finds it current).
 * schema.sql at the top level is this text, for readers and tools; a test holds the two together.
 */
export function schemaScript(migrations: readonly Migration[]): string {
  const parts = inOrder(migrations).map((m) => {
    const file = `${String(m.version).padStart(4, '0')}_${m.name}.sql`;
    return `-- migrations/${file}\nBEGIN;\n\n${m.sql.trim()}\n\nINSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name}')
  ON CONFLICT (version) DO NOTHING;\nCOMMIT;\n`;
  });
  return [
    '-- Digit Recognizer database schema: the numbered migrations in migrations/, in order, each recording',
    '-- itself in schema_migrations. Generated from them; do not edit (the server applies migrations/ itself).',
    '-- Rewrite it after adding a migration: npx tsx functions/store/write-schema.ts',
    '',
    MIGRATIONS_TABLE,
    '',
    ...parts,
  ].join('\n');
}
