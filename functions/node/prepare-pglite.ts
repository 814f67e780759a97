// Makes sure DATA_DIR holds an initialised PGlite database before the server opens it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const INIT_SCRIPT = fileURLToPath(new URL('./init-pglite.mjs', import.meta.url));

export async function preparePgliteDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  await mkdir(dataDir, { recursive: true });
  const child = spawn(process.execPath, [INIT_SCRIPT, dataDir], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`initialising the embedded database in ${dataDir} failed (exit ${code})`);
}
