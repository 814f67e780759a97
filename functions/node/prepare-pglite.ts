// Makes sure DATA_DIR holds an initialised PGlite database before the server opens it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const INIT_SCRIPT = fileURLToPath(new URL('./init-pglite.mjs', import.meta.url));

/** Where the fresh-cluster template lives: in node_modules/.cache, per PGlite version. */
function templatePath(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const marker = `${path.sep}node_modules${path.sep}`;
  const nodeModules = entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
  const pkg = path.join(nodeModules, '@electric-sql', 'pglite', 'package.json');
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  return path.join(nodeModules, '.cache', 'pglite', `fresh-cluster-${version}.tar.gz`);
}

export async function preparePgliteDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  await mkdir(dataDir, { recursive: true });
  const child = spawn(process.execPath, [INIT_SCRIPT, dataDir, templatePath()], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`initialising the embedded database in ${dataDir} failed (exit ${code})`);
}
