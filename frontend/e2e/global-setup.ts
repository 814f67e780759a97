// The frontend project's globalSetup, which vitest finishes for every project before any test file
// starts: frontend/dist is rebuilt when older than the page's sources, so the end-to-end tests see
// this checkout's page, and no server started by another project's tests (npm start builds a missing
// page) races a second build into the same folder.
import { buildPage } from '../build-page.mjs';

export default function setup(): void {
  buildPage({ rebuildStale: true });
}
