import { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { preparePgliteDataDir } from './prepare-pglite.ts';

describe('preparePgliteDataDir', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('initialises fresh directories (from initdb or the template) that PGlite then opens and writes', async () => {
    for (let i = 0; i < 2; i++) {
      const root = await mkdtemp(path.join(tmpdir(), 'digit-prepare-'));
      dirs.push(root);
      const dataDir = path.join(root, 'nested', 'data');
      await preparePgliteDataDir(dataDir);
      expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
      await preparePgliteDataDir(dataDir); // already there: left alone
      const db = await PGlite.create(dataDir);
      await db.exec('CREATE TABLE t (n int); INSERT INTO t VALUES (42)');
      expect((await db.query<{ n: number }>('SELECT n FROM t')).rows).toEqual([{ n: 42 }]);
      await db.close();
    }
  });
});
