// `npm start`: builds what is not built yet (the page, with Vite), then runs the server (TypeScript via tsx).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const frontend = `${root}frontend`;

if (!existsSync(`${frontend}/dist/index.html`) && existsSync(`${frontend}/index.html`)) {
  console.log('frontend/dist is missing: building the page');
  const vitePackage = createRequire(import.meta.url).resolve('vite/package.json');
  const vite = vitePackage.replace(/package\.json$/, 'bin/vite.js');
  const build = spawnSync(process.execPath, [vite, 'build', frontend, '--logLevel', 'warn'], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./server.ts');
await main();
