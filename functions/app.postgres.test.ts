// The contract through app.request() on the real PostgreSQL, through websockify, in a schema of its own.
// Skipped only when PostgreSQL is unreachable outside CI.
import { describe, it } from 'vitest';
import ws from 'ws';
import { defineContractSuite } from './contract.suite.ts';
import { createTestDatabase, postgresAvailable } from './node/testing.ts';
import { createPostgresStore } from './store/postgres-store.ts';
import { inProcessTarget, readSchemaSql } from './testing/test-deps.ts';

if (await postgresAvailable()) {
  defineContractSuite('app.request() + PostgreSQL', async () => {
    const db = await createTestDatabase();
    const store = createPostgresStore({
      databaseUrl: db.databaseUrl,
      wsProxy: db.wsProxy,
      schemaSql: await readSchemaSql(),
      webSocketConstructor: ws,
    });
    const target = await inProcessTarget(store);
    return { ...target, close: async () => (await target.close(), await db.drop()) };
  });
} else {
  describe.skip('HTTP contract: app.request() + PostgreSQL (PostgreSQL unreachable)', () => it('skipped'));
}
