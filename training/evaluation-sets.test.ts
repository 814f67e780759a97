import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DRAWN_DIGITS, HELD_OUT_WRITERS, generatorSha256, isCurrentSet } from './evaluation-sets.ts';

describe('isCurrentSet', () => {
  const dirs: string[] = [];
  const setWith = (manifest: object | undefined) => {
    const dir = mkdtempSync(join(tmpdir(), 'eval-set-'));
    dirs.push(dir);
    if (manifest) writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reuses a set drawn by the scripts as they are now', () => {
    expect(isCurrentSet(DRAWN_DIGITS, setWith({ seed: 7, generator: generatorSha256(DRAWN_DIGITS), items: [] }))).toBe(true);
  });

  it('treats a set from another version of the scripts, or from before fingerprints, or none, as stale', () => {
    expect(isCurrentSet(DRAWN_DIGITS, setWith({ seed: 7, generator: '0'.repeat(64), items: [] }))).toBe(false);
    expect(isCurrentSet(DRAWN_DIGITS, setWith({ seed: 7, items: [] }))).toBe(false);
    expect(isCurrentSet(DRAWN_DIGITS, setWith(undefined))).toBe(false);
  });

  it('fingerprints every script a set depends on: the writers set is stale for the drawn-digit one', () => {
    expect(generatorSha256(HELD_OUT_WRITERS)).not.toBe(generatorSha256(DRAWN_DIGITS));
    expect(isCurrentSet(HELD_OUT_WRITERS, setWith({ generator: generatorSha256(DRAWN_DIGITS), items: [] }))).toBe(false);
  });
});
