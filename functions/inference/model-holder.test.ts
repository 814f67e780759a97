// The model holder on a real registry (PGlite) and the real model: the poller follows the database,
// keeps the version in service through an outage, logging it once, and checks never undo a publish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStoredModelFromDir } from '../node/model-files.ts';
import { nodeOrtWasm } from '../node/ort-wasm.ts';
import { createSqlModelRegistry, type ModelRegistry } from '../store/model-registry.ts';
import { createPgliteStore } from '../store/pglite-store.ts';
import type { SqlStore } from '../store/sql-store.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { waitUntil } from '../testing/processes.ts';
import { MODEL_DIR, readMigrations } from '../testing/test-deps.ts';
import { createModelHolder, pollModels, type ModelHolder } from './model-holder.ts';

describe('model holder on a database of versions', () => {
  let store: SqlStore;
  let registry: ModelRegistry;
  let down = false;
  let models: ModelHolder;
  const shipped = () => loadStoredModelFromDir(MODEL_DIR);

  beforeAll(async () => {
    store = await createPgliteStore({ dataDir: 'memory://', migrations: await readMigrations() });
    await store.init();
    registry = createSqlModelRegistry(store.client);
    // The database as the replica sees it: `down` stands for an outage between it and the database.
    const outage = <A extends unknown[], R>(call: (...a: A) => Promise<R>) => (...a: A) =>
      down ? Promise.reject(new Error('database unreachable')) : call(...a);
    const seen: ModelRegistry = { ...registry, current: outage(registry.current), get: outage(registry.get) };
    models = createModelHolder({ registry: seen, seed: shipped }, await nodeOrtWasm());
    await models.reload();
  });
  afterAll(async () => store?.close());

  const served = () => models.current()!.model.version;

  it('follows the version made current elsewhere, and logs an outage once, serving on through it', async () => {
    const lines: string[] = [];
    const stop = pollModels(models, 50, (line) => lines.push(line));
    try {
      const other = await shipped();
      await registry.publish({ ...other, version: 'elsewhere', card: { ...other.card, version: 'elsewhere' } });
      await waitUntil(async () => served() === 'elsewhere', 'the published version served', { timeoutMs: 10_000 });
      expect(lines).toContainEqual(expect.stringMatching(/^model digit-cnn velsewhere now served \(was v\d+\)$/));

      down = true;
      await new Promise((r) => setTimeout(r, 400)); // several checks fail
      expect(served()).toBe('elsewhere');
      expect((await models.current()!.classify(new Float32Array(sevenPixels()))).digit).toBe(7);
      expect(lines.filter((l) => l.startsWith('model check failed'))).toHaveLength(1);

      down = false;
      await waitUntil(async () => lines.some((l) => l.includes('answers again')), 'the recovery logged', { timeoutMs: 10_000 });
    } finally {
      stop();
      down = false;
    }
  });

  it('never lets a check that was loading another version undo a rollback made meanwhile', async () => {
    const { version } = await shipped();
    await models.versions!.setCurrent(version);
    await registry.setCurrent('elsewhere'); // another replica's change, not yet seen here
    const check = models.reload(); // starts loading it
    const back = models.versions!.setCurrent(version); // and a rollback arrives meanwhile
    await Promise.all([check, back]);
    expect(served()).toBe(version);
    expect(await registry.current()).toEqual({ name: 'digit-cnn', version });
  });
});
