// The contract through app.request() on the embedded database in a temporary DATA_DIR.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineContractSuite } from './contract.suite.ts';
import { preparePgliteDataDir } from './node/prepare-pglite.ts';
import { createPgliteStore } from './store/pglite-store.ts';
import { inProcessTarget, readMigrations } from './testing/test-deps.ts';

defineContractSuite('app.request() + PGlite', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'digit-pglite-'));
  await preparePgliteDataDir(dataDir);
  const target = await inProcessTarget(await createPgliteStore({ dataDir, migrations: await readMigrations() }));
  return { ...target, close: async () => (await target.close(), await rm(dataDir, { recursive: true, force: true })) };
});
