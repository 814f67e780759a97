// Node-side setup for the workerd tests, run before the workers pool starts: the model import the
// Worker bundles (wrangler's [build] step), the page it serves as static assets, and a throwaway PostgreSQL schema behind a websockify of its own, handed to
// the Worker as DATABASE_URL and DATABASE_WS_PROXY (vitest's provide/inject, see vitest.config.ts).
import type { TestProject } from 'vitest/node';
import { buildPage } from '../../frontend/build-page.mjs';
import { createTestDatabase, postgresAvailable } from '../node/testing.ts';
import { generateBundled } from './generate-bundled.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Empty when PostgreSQL is unreachable outside CI: the database tests then skip. */
    databaseUrl: string;
    wsProxy: string;
  }
}

export default async function setup(project: TestProject) {
  generateBundled();
  buildPage({ rebuildStale: true });
  if (!(await postgresAvailable())) {
    project.provide('databaseUrl', '');
    project.provide('wsProxy', '');
    return;
  }
  const db = await createTestDatabase();
  project.provide('databaseUrl', db.databaseUrl);
  project.provide('wsProxy', db.wsProxy);
  return () => db.drop();
}
