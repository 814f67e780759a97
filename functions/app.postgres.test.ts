// The contract through app.request() on the real PostgreSQL, through websockify, in a schema of its own.
import { describe } from 'vitest';
import ws from 'ws';
import { defineContractSuite } from './contract.suite.ts';
import { createTestDatabase, postgresAvailable } from './node/testing.ts';
import { createPostgresStore } from './store/postgres-store.ts';
import { inProcessTarget, readMigrations } from './testing/test-deps.ts';

// Where PostgreSQL is unreachable (never under CI: postgresAvailable throws there), the suite's own
// tests show as skipped.
describe.skipIf(!(await postgresAvailable()))('PostgreSQL at 127.0.0.1:5432', () => {
  defineContractSuite('app.request() + PostgreSQL', async () => {
    const db = await createTestDatabase();
    const store = createPostgresStore({
      databaseUrl: db.databaseUrl,
      wsProxy: db.wsProxy,
      migrations: await readMigrations(),
      webSocketConstructor: ws,
    });
    const target = await inProcessTarget(store);
    return { ...target, close: async () => (await target.close(), await db.drop()) };
  });
});
