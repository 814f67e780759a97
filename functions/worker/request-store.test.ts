// The Worker's per-request database: the migrations applied once per isolate, concurrent first requests of
// several isolates on one empty database, and the 503 store when DATABASE_URL is unset.
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import ws from 'ws';
import { ApiError } from '../errors.ts';
import { createTestDatabase, postgresAvailable } from '../node/testing.ts';
import { pgliteClient } from '../store/pglite-store.ts';
import { createPostgresStore } from '../store/postgres-store.ts';
import { SqlStore } from '../store/sql-store.ts';
import { readMigrations } from '../testing/test-deps.ts';
import { applyingSchemaFirst, openRequestStore, unconfiguredStore, type SchemaState } from './request-store.ts';

describe('applyingSchemaFirst', () => {
  it('applies the schema before the first call of the isolate only, then never again', async () => {
    const db = await PGlite.create('memory://');
    const client = pgliteClient(db);
    let runs = 0;
    const counting = { ...client, session: <T>(work: Parameters<typeof client.session<T>>[0]) => (runs++, client.session(work)) };
    const store = new SqlStore(counting, await readMigrations());
    const isolate: SchemaState = { applied: false };
    // Two requests of one isolate, each with its own store.
    const first = applyingSchemaFirst(store, isolate);
    expect((await first.stats()).total).toBe(0);
    const second = applyingSchemaFirst(store, isolate);
    await second.ping();
    expect(runs).toBe(1);
    expect(isolate.applied).toBe(true);
    await db.close();
  });

  it('fails the call while the database is down, and tries again on the next one', async () => {
    const db = await PGlite.create('memory://');
    const client = pgliteClient(db);
    let down = true;
    const flaky = {
      ...client,
      session: async <T>(work: Parameters<typeof client.session<T>>[0]) => {
        if (down) throw new Error('connection refused');
        return client.session(work);
      },
    };
    const isolate: SchemaState = { applied: false };
    const store = new SqlStore(flaky, await readMigrations());
    await expect(applyingSchemaFirst(store, isolate).stats()).rejects.toThrow('connection refused');
    expect(isolate.applied).toBe(false);
    down = false;
    expect((await applyingSchemaFirst(store, isolate).stats()).total).toBe(0);
    expect(isolate.applied).toBe(true);
    await db.close();
  });
});

describe.runIf(await postgresAvailable())('openRequestStore on PostgreSQL', () => {
  it('lets the first requests of several isolates migrate an empty database at the same time', async () => {
    const test = await createTestDatabase();
    const migrations = await readMigrations();
    // Node has no global WebSocket before v22: the stores here get `ws`, as the Node server's do.
    const stores = Array.from({ length: 6 }, () =>
      applyingSchemaFirst(
        createPostgresStore({ databaseUrl: test.databaseUrl, wsProxy: test.wsProxy, migrations, webSocketConstructor: ws }),
        { applied: false },
      ),
    );
    try {
      const counts = await Promise.all(stores.map(async (s) => (await s.stats()).total));
      expect(counts).toEqual([0, 0, 0, 0, 0, 0]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await test.drop();
    }
  });
});

describe('without DATABASE_URL', () => {
  it('hands the handlers a store that answers 503 database-not-configured', async () => {
    const store = openRequestStore({}, [], { applied: false });
    expect(store).toBe(unconfiguredStore);
    const error = await store.ping().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'database-not-configured' });
    await expect(store.close()).resolves.toBeUndefined();
  });
});
