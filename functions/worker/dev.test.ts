// `npm run dev:edge`: the Worker in workerd on PORT, with DATABASE_URL and DATABASE_WS_PROXY from the
// environment, against the real PostgreSQL through websockify, serving the same page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '../node/testing.ts';
import { sevenPixels } from '../testing/fixtures.ts';
import { devArgs } from './dev.mjs';
import { startEdgeDev, type EdgeDev } from './testing.ts';

describe('dev:edge arguments', () => {
  it('listens on PORT, 8787 by default, and passes through only the variables that are set', () => {
    expect(devArgs({})).toEqual(['dev', '--port', '8787']);
    expect(devArgs({ PORT: '9000', DATABASE_URL: 'postgresql://u:p@h:5432/db?sslmode=require', DATABASE_WS_PROXY: '' }, ['--ip', '::'])).toEqual([
      'dev', '--port', '9000', '--var', 'DATABASE_URL:postgresql://u:p@h:5432/db?sslmode=require', '--ip', '::',
    ]);
  });

  it.each(['abc', '-1', '70000', '80.5'])('refuses PORT=%s', (port) => {
    expect(() => devArgs({ PORT: port })).toThrow(/PORT/);
  });
});

describe.runIf(await postgresAvailable())('npm run dev:edge on PostgreSQL through websockify', () => {
  let db: TestDatabase;
  let dev: EdgeDev;
  beforeAll(async () => {
    db = await createTestDatabase();
    dev = await startEdgeDev({ DATABASE_URL: db.databaseUrl, DATABASE_WS_PROXY: db.wsProxy });
  }, 120_000);
  afterAll(async () => {
    await dev?.stop();
    await db?.drop();
  });

  it('is ready, predicts, and lists the prediction from the database', async () => {
    const ready = await fetch(`${dev.url}/api/ready`);
    expect(ready.status, await ready.clone().text()).toBe(200);
    const res = await fetch(`${dev.url}/api/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pixels: sevenPixels(), source: 'canvas' }),
    });
    expect(res.status).toBe(200);
    const p = (await res.json()) as { digit: number; model: { version: string } };
    expect(p.digit).toBe(7);
    const { items } = (await (await fetch(`${dev.url}/api/predictions?limit=1`)).json()) as { items: Record<string, unknown>[] };
    expect(items).toEqual([expect.objectContaining({ digit: 7, modelVersion: p.model.version, trueLabel: null })]);
    expect(items[0]).not.toHaveProperty('id');
  });

  it('serves the page at /', async () => {
    const page = await fetch(`${dev.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script');
  });

  it('stops on SIGTERM', async () => {
    await dev.stop();
    await expect(fetch(`${dev.url}/api/health`)).rejects.toThrow();
  });
});
