// The real server (`npm start`'s entry) on the real PostgreSQL, under load: 20,000 predictions at 64
// connections with zero errors; the database's proxy killed and restarted in the middle of load (503 with
// Retry-After meanwhile, /api/ready 503, recovery by itself); SIGTERM under load (in-flight requests
// finish, exit 0 within 10 s). Every prediction answered 200 must be in the database afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, startServer, withClient, type TestDatabase } from '../node/testing.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { freePort } from '../testing/processes.ts';
import { latency, percentile, startLoad, type LoadRecord } from './load-driver.ts';
import { killableProxy } from './proxy.ts';
import { sleep } from './server-probes.ts';

const BODY = JSON.stringify({ pixels: sevenPixels() });
const LOAD_TOTAL = Number(process.env.RELIABILITY_LOAD_TOTAL ?? 20_000);

/** How many of `ids` the database holds, read through the schema's own proxy (not the app's). */
async function countStored(db: TestDatabase, ids: string[]): Promise<number> {
  return withClient(db.databaseUrl, db.wsProxy, async (client) => {
    const { rows } = await client.query('SELECT count(*)::int AS n FROM predictions WHERE id = ANY($1::text[])', [ids]);
    return Number(rows[0].n);
  });
}

const acknowledged = (records: LoadRecord[]) => records.filter((r) => r.status === 200).map((r) => r.id!);

function summary(records: LoadRecord[], ms: number) {
  const ok = records.filter((r) => r.status === 200);
  return {
    requests: records.length,
    ok: ok.length,
    rps: Math.round((ok.length / ms) * 1000),
    p50: percentile(ok.map(latency), 50).toFixed(1),
    p99: percentile(ok.map(latency), 99).toFixed(1),
    max: Math.max(...records.map(latency)).toFixed(0),
  };
}

const pg = await postgresAvailable();

describe.runIf(pg)('under load on PostgreSQL', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it(`answers ${LOAD_TOTAL} predictions at 64 connections without an error, and stores every one`, async () => {
    const server = await startServer({
      env: { DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy, RATE_LIMIT_PER_MINUTE: '0' },
    });
    try {
      const started = performance.now();
      const records = await startLoad({ url: server.url, body: BODY, connections: 64, total: LOAD_TOTAL, durationMs: 150_000 }).done;
      const ms = performance.now() - started;
      const s = summary(records, ms);
      console.log(`load: ${JSON.stringify(s)} in ${(ms / 1000).toFixed(1)} s`);
      const failures = records.filter((r) => r.status !== 200);
      expect(failures.slice(0, 5)).toEqual([]);
      expect(records).toHaveLength(LOAD_TOTAL);
      const ids = acknowledged(records);
      expect(new Set(ids).size).toBe(LOAD_TOTAL);
      expect(await countStored(db, ids)).toBe(LOAD_TOTAL);
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
  });

  it('answers 503 with Retry-After while the database is unreachable, recovers by itself, and loses no acknowledged row', async () => {
    const proxy = await killableProxy(await freePort());
    const server = await startServer({
      env: { DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: proxy.proxy, RATE_LIMIT_PER_MINUTE: '0' },
    });
    try {
      const load = startLoad({ url: server.url, body: BODY, connections: 16, durationMs: 60_000 });
      await sleep(2000);
      const killedAt = performance.now();
      await proxy.kill();
      // While it is down: /api/ready says so, and predictions get a prompt 503.
      await sleep(1000);
      const ready = await fetch(`${server.url}/api/ready`);
      expect(ready.status).toBe(503);
      expect((await ready.json()).checks).toEqual({ model: true, database: false });
      await sleep(2000);
      const restartedAt = performance.now();
      await proxy.start();
      let recoveredAt = NaN;
      while (performance.now() - restartedAt < 20_000) {
        const ok = load.records.find((r) => r.status === 200 && r.startedAt >= restartedAt);
        if (ok) {
          recoveredAt = ok.endedAt;
          break;
        }
        await sleep(20);
      }
      await sleep(2000);
      load.stop();
      const records = await load.done;

      const during = records.filter((r) => r.startedAt > killedAt + 200 && r.endedAt < restartedAt);
      const unavailable = records.filter((r) => r.status === 503);
      const recoverySeconds = (recoveredAt - restartedAt) / 1000;
      console.log(
        `faults: ${records.length} requests, ${acknowledged(records).length} ok, ${unavailable.length} 503, ` +
          `max 503 latency ${Math.max(...unavailable.map(latency)).toFixed(0)} ms, recovery ${recoverySeconds.toFixed(2)} s after the proxy returned`,
      );
      // Only 200 and 503, no connection errors, no hangs.
      expect(records.filter((r) => r.status !== 200 && r.status !== 503).slice(0, 5)).toEqual([]);
      expect(during.length).toBeGreaterThan(0);
      expect(during.every((r) => r.status === 503)).toBe(true);
      for (const r of unavailable) {
        expect(r.retryAfter).toMatch(/^\d+$/);
        expect(latency(r)).toBeLessThan(6000);
      }
      expect(recoverySeconds).toBeLessThan(10);
      expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
      const ids = acknowledged(records);
      expect(ids.length).toBeGreaterThan(0);
      expect(await countStored(db, ids)).toBe(ids.length);
    } finally {
      expect((await server.stop()).code).toBe(0);
      await proxy.kill();
    }
  });

  it('on SIGTERM under load finishes requests in flight and exits 0 within 10 s, losing no acknowledged row', async () => {
    const server = await startServer({
      env: { DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy, RATE_LIMIT_PER_MINUTE: '0' },
    });
    const load = startLoad({ url: server.url, body: BODY, connections: 32, durationMs: 30_000 });
    await sleep(1500);
    const signalAt = performance.now();
    const exit = await server.stop('SIGTERM');
    const exitSeconds = (performance.now() - signalAt) / 1000;
    load.stop();
    const records = await load.done;
    const inFlight = records.filter((r) => r.startedAt < signalAt && r.endedAt > signalAt);
    console.log(
      `sigterm: exit ${JSON.stringify(exit)} after ${exitSeconds.toFixed(2)} s; ${inFlight.length} requests in flight at the signal: ` +
        `${inFlight.filter((r) => r.status === 200).length} answered 200, errors ${JSON.stringify([...new Set(records.filter((r) => r.error).map((r) => r.error))])}`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(exitSeconds).toBeLessThan(10);
    // No 5xx at all; after the signal, clients only see the listener gone (refused or reset), never a hang.
    expect(records.filter((r) => r.status !== null && r.status !== 200)).toEqual([]);
    expect(records.filter((r) => r.error === 'timeout')).toEqual([]);
    expect(inFlight.some((r) => r.status === 200)).toBe(true);
    const ids = acknowledged(records);
    expect(await countStored(db, ids)).toBe(ids.length);
  });
});
