// Numbered migrations on PGlite and on real PostgreSQL: a database made by the schema.sql of before
// migrations keeps every row, applying twice is a no-op, replicas starting at once apply each migration
// once, and schema.sql stays the migrations' concatenation.
import { PGlite } from '@electric-sql/pglite';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { newPredictionId } from '../http/ids.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../node/testing.ts';
import { readMigrations, SCHEMA_FILE } from './migration-files.ts';
import { applyMigrations, inOrder, schemaScript, type Migration } from './migrations.ts';
import { pgliteClient } from './pglite-store.ts';
import { postgresClient } from './postgres-store.ts';
import { SqlStore, type SqlClient } from './sql-store.ts';

const BEFORE_MIGRATIONS = path.join(import.meta.dirname, 'fixtures', 'schema-before-migrations.sql');

const migrations = await readMigrations();
const versions = migrations.map((m) => m.version);

/** Three rows of a database in use: one labeled, one not, one made by another model version. */
async function fillOldDatabase(client: SqlClient): Promise<string[]> {
  const ids = [newPredictionId(), newPredictionId(), newPredictionId()];
  const probabilities = `{${Array.from({ length: 10 }, () => 0.1).join(',')}}`;
  for (const [i, id] of ids.entries()) {
    await client.query(
      `INSERT INTO predictions (id, predicted_digit, confidence, probabilities, true_label, labeled_at, model_version, source, input)
       VALUES ($1, $2, 0.5, $3, $4, CASE WHEN $4::smallint IS NULL THEN NULL ELSE now() END, $5, 'canvas', $6)`,
      [id, i + 3, probabilities, i === 0 ? 8 : null, i === 2 ? '1' : '2', new Uint8Array(784).fill(i + 1)],
    );
  }
  return ids;
}

const recorded = async (client: SqlClient) =>
  (await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version));

function migrationSuite(name: string, open: () => Promise<{ client: () => SqlClient; drop(): Promise<void> }>) {
  describe(name, () => {
    let db: Awaited<ReturnType<typeof open>>;
    const clients: SqlClient[] = [];
    const client = () => {
      const c = db.client();
      clients.push(c);
      return c;
    };
    beforeAll(async () => {
      db = await open();
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await db?.drop();
    });

    it('migrates a database made by the schema.sql of before migrations without losing a row, then finds nothing to do', async () => {
      const c = client();
      await c.exec(await readFile(BEFORE_MIGRATIONS, 'utf8'));
      const ids = await fillOldDatabase(c);
      const before = await c.query(`SELECT id, created_at, predicted_digit, true_label, labeled_at, model_version, input FROM predictions ORDER BY id`);

      const store = new SqlStore(c, migrations);
      await store.init();
      expect(await recorded(c)).toEqual(versions);
      const after = await c.query(`SELECT id, created_at, predicted_digit, true_label, labeled_at, model_version, input FROM predictions ORDER BY id`);
      expect(after).toEqual(before);
      expect(after).toHaveLength(3);
      // Rows of before get an insertion number for the history's order, and no client (unknown then).
      expect(await c.query('SELECT count(*)::int AS n FROM predictions WHERE seq IS NOT NULL AND client_hash IS NULL')).toEqual([{ n: 3 }]);
      // The migrated database serves the old rows like new ones.
      expect((await store.stats()).total).toBe(3);
      expect((await store.setTrueLabel(ids[1]!, 4))?.trueLabel).toBe(4);

      const appliedAt = await c.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
      expect(await applyMigrations(c, migrations)).toEqual([]);
      expect(await c.query('SELECT version, applied_at FROM schema_migrations ORDER BY version')).toEqual(appliedAt);
      expect((await store.stats()).total).toBe(3);
    });

    it('rolls a failing migration back whole and records nothing of it', async () => {
      const c = client();
      const failing: Migration = { version: versions.length + 1, name: 'failing', sql: 'CREATE TABLE half_done (n int); SELECT 1/0;' };
      await expect(applyMigrations(c, [...migrations, failing])).rejects.toThrow(/division by zero/);
      expect(await recorded(c)).toEqual(versions);
      expect(await c.query(`SELECT to_regclass('half_done') AS t`)).toEqual([{ t: null }]);
      // The connection is usable afterwards (the transaction was rolled back, the lock released).
      expect(await applyMigrations(c, migrations)).toEqual([]);
    });

    it('refuses a database migrated by newer code, and changes nothing', async () => {
      const c = client();
      await expect(applyMigrations(c, migrations.slice(0, -1))).rejects.toThrow(/newer than this code knows/);
      expect(await recorded(c)).toEqual(versions);
    });
  });
}

migrationSuite('migrations on PGlite', async () => {
  const pg = await PGlite.create('memory://');
  // One PGlite is one connection: every client is the same database.
  const shared = pgliteClient(pg);
  return { client: () => ({ ...shared, close: async () => {} }), drop: () => pg.close() };
});

const onPostgres = await postgresAvailable();

if (onPostgres) {
  migrationSuite('migrations on PostgreSQL through websockify', async () => {
    const test = await createTestDatabase();
    return {
      client: () => postgresClient({ databaseUrl: test.databaseUrl, wsProxy: test.wsProxy, webSocketConstructor: ws }),
      drop: () => test.drop(),
    };
  });
}

describe.runIf(onPostgres)('replicas starting at once on PostgreSQL', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(async () => test?.drop());

  it('apply each migration exactly once: the others wait for it and find it recorded', async () => {
    // Not idempotent on purpose, and slow enough for the replicas to overlap: applied twice it would fail.
    const slow: Migration[] = [
      { version: 1, name: 'table', sql: 'SELECT pg_sleep(0.3); CREATE TABLE replicated (n int);' },
      { version: 2, name: 'column', sql: 'SELECT pg_sleep(0.3); ALTER TABLE replicated ADD COLUMN m int;' },
    ];
    const replicas = Array.from({ length: 4 }, () =>
      postgresClient({ databaseUrl: test.databaseUrl, wsProxy: test.wsProxy, webSocketConstructor: ws }),
    );
    try {
      const applied = await Promise.all(replicas.map((r) => applyMigrations(r, slow)));
      expect(applied.flat().sort()).toEqual([1, 2]);
      expect(await recorded(replicas[0]!)).toEqual([1, 2]);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });
});

describe('the migration list', () => {
  it('schema.sql is the migrations concatenated (npx tsx functions/store/write-schema.ts rewrites it)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(schemaScript(migrations));
  });

  it('schema.sql applied by hand makes the database the server would, which it then finds current', async () => {
    const pg = await PGlite.create('memory://');
    const c = pgliteClient(pg);
    await c.exec(await readFile(SCHEMA_FILE, 'utf8'));
    expect(await recorded(c)).toEqual(versions);
    expect(await applyMigrations(c, migrations)).toEqual([]);
    await pg.close();
  });

  it('refuses a gap or a repeated number', () => {
    const m = (version: number): Migration => ({ version, name: `m${version}`, sql: 'SELECT 1' });
    expect(() => inOrder([m(1), m(3)])).toThrow(/numbered 1, 2, 3/);
    expect(() => inOrder([m(1), m(1)])).toThrow(/numbered 1, 2, 3/);
    expect(inOrder([m(2), m(1)]).map((x) => x.version)).toEqual([1, 2]);
  });
});
