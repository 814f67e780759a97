// `npm start`: builds what is not built yet (the page, with Vite), then runs the server (TypeScript via tsx).
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const frontend = `${root}frontend`;
const dist = `${frontend}/dist`;

if (!existsSync(`${dist}/index.html`) && existsSync(`${frontend}/index.html`)) {
  console.log('frontend/dist is missing: building the page');
  const vite = createRequire(import.meta.url).resolve('vite/package.json').replace(/package\.json$/, 'bin/vite.js');
  // Built beside dist and renamed into place, so servers starting at the same time never serve half a build.
  const staging = `${root}node_modules/.cache/frontend-build-${process.pid}`;
  const build = spawnSync(
    process.execPath,
    [vite, 'build', frontend, '--outDir', staging, '--emptyOutDir', '--logLevel', 'warn'],
    { stdio: 'inherit', cwd: root },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  try {
    if (existsSync(dist) && !existsSync(`${dist}/index.html`)) rmSync(dist, { recursive: true, force: true });
    renameSync(staging, dist);
  } catch {
    // Another start finished first; its build is as good as this one.
    rmSync(staging, { recursive: true, force: true });
  }
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./server.ts');
main().catch((error) => {
  console.error(`the server could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
