// The migrations as files (Node): read from migrations/ at start. A Worker bundles the same files
// (worker/generate-bundled.mjs).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inOrder, MIGRATION_FILE, migrationFromFile, type Migration } from './migrations.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MIGRATIONS_DIR = path.join(ROOT, 'migrations');
export const SCHEMA_FILE = path.join(ROOT, 'schema.sql');

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql'));
  const unnamed = files.filter((f) => !MIGRATION_FILE.test(f));
  if (unnamed.length) throw new Error(`${dir}: not named NNNN_name.sql: ${unnamed.join(', ')}`);
  return inOrder(await Promise.all(files.map(async (f) => migrationFromFile(f, await readFile(path.join(dir, f), 'utf8')))));
}

