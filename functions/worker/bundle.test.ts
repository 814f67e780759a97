// What `npm run deploy:edge` would upload, built with `wrangler deploy --dry-run`: it must bundle the
// model current.json names and ORT's wasm, and stay within Cloudflare's Worker size limit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage } from '../../frontend/build-page.mjs';
import { MODEL_DIR } from '../testing/test-deps.ts';
import { readFile } from 'node:fs/promises';
import { deployDryRun, type DryRun } from './testing.ts';

/** Cloudflare's Worker size limit, uncompressed, on every plan (docs/edge.md). */
const WORKER_SIZE_LIMIT = 64 * 1024 * 1024;

describe('wrangler deploy --dry-run', () => {
  let outDir: string;
  let bundle: DryRun;
  beforeAll(async () => {
    buildPage({ rebuildStale: true }); // [assets] needs frontend/dist
    outDir = await mkdtemp(path.join(tmpdir(), 'digit-edge-bundle-'));
    bundle = deployDryRun(outDir);
    const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
    console.log(
      `Worker bundle: ${kib(bundle.bytes)} raw, ${kib(bundle.gzipBytes)} gzipped (${bundle.wranglerTotal}); ` +
        bundle.files.map((f) => `${f.name.replace(/^[0-9a-f]{40}-/, '')} ${kib(f.bytes)}/${kib(f.gzipBytes)}`).join(', '),
    );
  }, 120_000);
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('bundles the model version model/current.json names, the migrations and ORT wasm', async () => {
    const { file } = JSON.parse(await readFile(path.join(MODEL_DIR, 'current.json'), 'utf8'));
    const names = bundle.files.map((f) => f.name);
    expect(names.some((n) => n.endsWith(`-${file}`))).toBe(true);
    expect(names.some((n) => n.endsWith('-ort-wasm-simd-threaded.wasm'))).toBe(true);
    expect(names.some((n) => n.endsWith('-0001_predictions.sql'))).toBe(true);
    expect(names).toContain('index.js');
  });

  it('fits the Worker size limit of every plan (64 MiB uncompressed)', () => {
    expect(bundle.bytes).toBeLessThan(WORKER_SIZE_LIMIT);
  });
});
