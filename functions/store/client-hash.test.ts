// Who made a prediction is kept as a keyed hash: stable across stores (restarts, replicas) of one
// database, different under another database's key, and the address itself is stored nowhere.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { newPredictionId } from '../http/ids.ts';
import { readMigrations } from './migration-files.ts';
import { pgliteClient } from './pglite-store.ts';
import { SqlStore } from './sql-store.ts';
import type { NewPrediction } from './store.ts';

const migrations = await readMigrations();
const ADDRESS = '198.51.100.23';

const row = (client: string | null): NewPrediction => ({
  id: newPredictionId(),
  predictedDigit: 1,
  confidence: 0.5,
  probabilities: new Array(10).fill(0.1),
  modelVersion: '1',
  source: 'api',
  input: new Uint8Array(784),
  client,
});

async function database() {
  const pg = await PGlite.create('memory://');
  const store = new SqlStore(pgliteClient(pg), migrations);
  await store.init();
  const hashOf = async (s: SqlStore, client: string | null) => {
    const { id } = await s.insertPrediction(row(client));
    return (await pg.query<{ client_hash: string }>('SELECT client_hash FROM predictions WHERE id = $1', [id])).rows[0]!.client_hash;
  };
  return { pg, store, hashOf };
}

describe('client hashes', () => {
  const open: PGlite[] = [];
  afterAll(async () => Promise.all(open.map((pg) => pg.close())));

  it('are one per client, the same from a second store on the database, and another under another database key', async () => {
    const a = await database();
    const b = await database();
    open.push(a.pg, b.pg);
    const first = await a.hashOf(a.store, ADDRESS);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await a.hashOf(a.store, ADDRESS)).toBe(first);
    // A restarted server or another replica: a new store, the same key from the database.
    expect(await a.hashOf(new SqlStore(pgliteClient(a.pg), migrations), ADDRESS)).toBe(first);
    expect(await a.hashOf(a.store, '198.51.100.24')).not.toBe(first);
    expect(await a.hashOf(a.store, null)).not.toBe(first);
    // Without the key the hash says nothing: another database's key gives another hash.
    expect(await b.hashOf(b.store, ADDRESS)).not.toBe(first);
  });

  it('are signed once per client while it keeps sending', async () => {
    const { pg, store, hashOf } = await database();
    open.push(pg);
    await hashOf(store, ADDRESS);
    const sign = vi.spyOn(crypto.subtle, 'sign');
    try {
      const again = await hashOf(store, ADDRESS);
      expect(await hashOf(store, ADDRESS)).toBe(again);
      expect(sign).not.toHaveBeenCalled();
      await hashOf(store, '198.51.100.24');
      expect(sign).toHaveBeenCalledTimes(1);
    } finally {
      sign.mockRestore();
    }
  });

  it('never store the address itself', async () => {
    const { pg, store } = await database();
    open.push(pg);
    await store.insertPrediction(row(ADDRESS));
    const dump = JSON.stringify((await pg.query('SELECT * FROM predictions')).rows);
    expect(dump).toContain('"client_hash"');
    expect(dump).not.toContain(ADDRESS);
  });
});
