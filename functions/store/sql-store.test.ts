// The shared SQL on both databases: keyset paging with tied timestamps, the export, and the schema's
// own checks (a second line of defence behind the API's validation).
import { PGlite } from '@electric-sql/pglite';
import nodePostgres from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { newPredictionId } from '../http/ids.ts';
import { createTestDatabase, postgresAvailable, withClient, type TestDatabase } from '../node/testing.ts';
import { readMigrations } from '../testing/test-deps.ts';
import { pgliteClient } from './pglite-store.ts';
import { createPostgresStore } from './postgres-store.ts';
import { SqlStore } from './sql-store.ts';
import type { HistoryRow, NewPrediction, Store } from './store.ts';

const row = (digit: number, overrides: Partial<NewPrediction> = {}): NewPrediction => ({
  id: newPredictionId(),
  predictedDigit: digit,
  confidence: 0.5,
  probabilities: Array.from({ length: 10 }, (_, d) => (d === digit ? 0.5 : 0.5 / 9)),
  modelVersion: '1',
  source: 'api',
  input: new Uint8Array(784).fill(digit),
  client: '192.0.2.1',
  ...overrides,
});

interface Db {
  store: Store;
  /** Raw SQL beside the store, to set up states the API cannot produce (tied timestamps). */
  sql(text: string): Promise<void>;
  close(): Promise<void>;
}

function storeSuite(name: string, open: () => Promise<Db>) {
  describe(name, () => {
    let db: Db;
    beforeAll(async () => {
      db = await open();
      await db.store.init();
      await db.store.init(); // a current database: nothing to apply
    });
    afterAll(async () => db?.close());

    it('pages newest first through rows with identical timestamps, without gaps or repeats', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await db.store.insertPrediction(row(i))).id);
      await db.sql(`UPDATE predictions SET created_at = '2026-01-01T00:00:00.123456Z'`);
      const seen: HistoryRow[] = [];
      let after = null;
      for (;;) {
        const page: HistoryRow[] = await db.store.listPredictions(3, after);
        if (!page.length) break;
        seen.push(...page);
        after = page.at(-1)!;
      }
      // Ties are broken by insertion order, newest first.
      expect(seen.map((r) => r.id)).toEqual([...ids].reverse());
      expect(seen[0]!.createdAt).toBe('2026-01-01T00:00:00.123456Z');
    });

    it('labels, relabels and exports labeled rows with their input bytes', async () => {
      const a = await db.store.insertPrediction(row(3));
      expect(a).toMatchObject({ predictedDigit: 3, trueLabel: null, labeledAt: null, source: 'api' });
      expect(a.probabilities).toHaveLength(10);
      expect((await db.store.setTrueLabel(a.id, 8))?.trueLabel).toBe(8);
      const relabeled = await db.store.setTrueLabel(a.id, 3);
      expect(relabeled?.trueLabel).toBe(3);
      expect(relabeled?.labeledAt).toMatch(/Z$/);
      expect(await db.store.setTrueLabel(newPredictionId(), 1)).toBeNull();
      const exported = await db.store.listLabeled(100, null);
      expect(exported.map((r) => r.id)).toEqual([a.id]);
      expect(exported[0]!.input).toEqual(new Uint8Array(784).fill(3));
      expect(exported[0]).toMatchObject({ predictedDigit: 3, confidence: 0.5, clientHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(await db.store.listLabeled(100, exported[0]!)).toEqual([]);
    });

    it('counts with plain numbers on both drivers', async () => {
      const s = await db.store.stats();
      expect(s.total).toBe(8);
      expect(s).toMatchObject({ labeled: 1, correct: 1, confusion: [{ trueLabel: 3, predictedDigit: 3, count: 1 }] });
      expect(s.byModel).toEqual([{ modelVersion: '1', total: 8, labeled: 1, correct: 1 }]);
    });

    it.each([
      ['a digit of 10', row(10)],
      ['a confidence above 1', row(1, { confidence: 1.5 })],
      ['9 probabilities', row(1, { probabilities: new Array(9).fill(0.1) })],
      ['783 input bytes', row(1, { input: new Uint8Array(783) })],
      ['an unknown source', row(1, { source: 'email' as never })],
      ['a guessable id', row(1, { id: '1' })],
    ])('refuses a row with %s', async (_, bad) => {
      await expect(db.store.insertPrediction(bad)).rejects.toThrow();
      expect((await db.store.stats()).total).toBe(8);
    });

    it('answers concurrent inserts each with its own row, and a refused one fails only its own caller', async () => {
      const rows = Array.from({ length: 20 }, (_, i) => row(i % 10, i === 7 ? { confidence: 2 } : {}));
      const results = await Promise.allSettled(rows.map((r) => db.store.insertPrediction(r)));
      results.forEach((result, i) => {
        if (i === 7) return expect(result.status).toBe('rejected');
        expect(result).toMatchObject({ status: 'fulfilled', value: { id: rows[i]!.id, predictedDigit: i % 10 } });
      });
      expect((await db.store.stats()).total).toBe(8 + 19);
    });
  });
}

storeSuite('SqlStore on PGlite', async () => {
  const pg = await PGlite.create('memory://');
  return {
    store: new SqlStore(pgliteClient(pg), await readMigrations()),
    sql: async (text) => void (await pg.exec(text)),
    close: () => pg.close(),
  };
});

describe('SqlStore inserts under concurrency', () => {
  it('writes rows that arrive while an insert is in flight together, in one statement', async () => {
    const pg = await PGlite.create('memory://');
    const client = pgliteClient(pg);
    const inserts: number[] = [];
    const counting = {
      ...client,
      query: <T>(sql: string, params?: unknown[]) => {
        if (sql.trimStart().startsWith('INSERT')) inserts.push((params ?? []).length / 8);
        return client.query<T>(sql, params);
      },
    };
    const store = new SqlStore(counting, await readMigrations());
    await store.init();
    const rows = await Promise.all(Array.from({ length: 30 }, (_, i) => store.insertPrediction(row(i % 10))));
    expect(new Set(rows.map((r) => r.id)).size).toBe(30);
    expect(inserts.reduce((a, b) => a + b, 0)).toBe(30);
    expect(inserts.length).toBeLessThan(30);
    expect((await store.stats()).total).toBe(30);
    await store.close();
  });
});

/** A new test database and a store on it: through websockify (as the Worker), or over TCP (as Node). */
async function openPostgres(transport: 'websocket' | 'tcp'): Promise<Db> {
  const test: TestDatabase = await createTestDatabase();
  const migrations = await readMigrations();
  const store = createPostgresStore(
    transport === 'tcp'
      ? { databaseUrl: test.databaseUrl, migrations, tcpPool: nodePostgres.Pool }
      : { databaseUrl: test.databaseUrl, migrations, wsProxy: test.wsProxy, webSocketConstructor: ws },
  );
  return {
    store,
    async sql(text) {
      await withClient(test.databaseUrl, test.wsProxy, (client) => client.query(text));
    },
    close: async () => (await store.close(), await test.drop()),
  };
}

if (await postgresAvailable()) {
  storeSuite('SqlStore on PostgreSQL through websockify', () => openPostgres('websocket'));
  // What the Node server opens when no proxy is named: node-postgres over TCP.
  storeSuite('SqlStore on PostgreSQL over TCP (node-postgres)', () => openPostgres('tcp'));
}
