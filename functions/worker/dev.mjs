// `npm run dev:edge`: the Worker in workerd (wrangler dev) on PORT (default 8787), like `npm start`,
// with DATABASE_URL, DATABASE_WS_PROXY and ADMIN_TOKEN passed through from the environment, and the
// page built first when it is missing or stale. Extra arguments go to wrangler (`-- --inspector-port 9229`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildPage } from '../../frontend/build-page.mjs';
import { portFromEnv } from '../port.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSED_THROUGH = ['DATABASE_URL', 'DATABASE_WS_PROXY', 'ADMIN_TOKEN'];

/** wrangler dev's arguments for `env` (exported for the test). */
export function devArgs(env, extra = []) {
  const args = ['dev', '--port', String(portFromEnv(env.PORT))];
  // Only what is set: an empty --var would hand the Worker DATABASE_URL="" rather than no database.
  for (const name of PASSED_THROUGH) if (env[name]) args.push('--var', `${name}:${env[name]}`);
  return [...args, ...extra];
}

async function main() {
  buildPage({ rebuildStale: true });

  const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
  const extra = process.argv.slice(2);
  if (!process.stdout.isTTY) extra.unshift('--show-interactive-dev-session=false');
  const child = spawn(process.execPath, [wrangler, ...devArgs(process.env, extra)], {
    cwd: ROOT,
    stdio: 'inherit',
    // No telemetry from a development server (and none of its network waits on a machine without internet).
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
