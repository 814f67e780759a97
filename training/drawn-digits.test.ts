import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isCurrentDrawnSet } from './drawn-digits.ts';

const generatorSha = createHash('sha256').update(readFileSync(new URL('./drawn_digits.py', import.meta.url))).digest('hex');

describe('isCurrentDrawnSet', () => {
  const dirs: string[] = [];
  const setWith = (manifest: object | undefined) => {
    const dir = mkdtempSync(join(tmpdir(), 'drawn-'));
    dirs.push(dir);
    if (manifest) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reuses a set drawn by the generator as it is now', () => {
    expect(isCurrentDrawnSet(setWith({ seed: 7, generator: generatorSha, items: [] }))).toBe(true);
  });

  it('treats a set from another version of the generator, or from before fingerprints, or none, as stale', () => {
    expect(isCurrentDrawnSet(setWith({ seed: 7, generator: '0'.repeat(64), items: [] }))).toBe(false);
    expect(isCurrentDrawnSet(setWith({ seed: 7, items: [] }))).toBe(false);
    expect(isCurrentDrawnSet(setWith(undefined))).toBe(false);
  });
});
