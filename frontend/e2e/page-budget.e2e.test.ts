// @vitest-environment node
// The built page (frontend/dist, built by ./global-setup.ts) stays small: its own JS and CSS at
// most 50 KB gzipped, and nothing to download before drawing and predicting (inference is remote).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUDGET_BYTES = 50 * 1024;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

describe('built page', () => {
  it('ships its JS and CSS in at most 50 KB gzipped', () => {
    const assets = files(DIST).filter((f) => /\.(m?js|css)$/.test(f));
    expect(assets.some((f) => f.endsWith('.js'))).toBe(true);
    expect(assets.some((f) => f.endsWith('.css'))).toBe(true);
    const gzipped = assets.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('needs no WASM or model file to draw and predict', () => {
    expect(files(DIST).filter((f) => /\.(wasm|onnx|bin)$/.test(f))).toEqual([]);
    const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
    expect(html).toContain('<div id="root">');
  });
});
