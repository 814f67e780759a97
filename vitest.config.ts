import { createRequire } from 'node:module';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const require = createRequire(import.meta.url);

/** A top-level part's project: its own folder as root, its `*.test.ts` files, in Node. */
function part(name: string, test: TestProjectInlineConfiguration['test'] = {}): TestProjectInlineConfiguration {
  return { root: `./${name}`, test: { name, environment: 'node', include: ['**/*.test.ts'], ...test } };
}

// One project per top-level part. The Worker's tests run inside workerd, in a project of their own
// (functions/worker/vitest.config.ts): the workers pool's plugin needs a configuration file to itself.
export default defineConfig({
  test: {
    projects: [
      part('functions', {
        // The Worker's tests run inside workerd, in their own project.
        exclude: ['**/node_modules/**', '**/*.workerd.test.ts'],
        // Integration tests start PGlite, websockify and real servers.
        testTimeout: 30_000,
        hookTimeout: 120_000,
      }),
      {
        // The page's Vite configuration (vite-plugin-solid) with its tests: components in jsdom; the
        // end-to-end tests in e2e/ switch themselves to Node (a per-file docblock) and drive Debian's Chromium.
        extends: './frontend/vite.config.ts',
        root: './frontend',
        resolve: {
          // vite-plugin-solid adds the `browser` resolve condition to every environment under test,
          // which would hand the e2e tests' database helper the browser stub of `ws`. Pin Node's build.
          alias: [{ find: /^ws$/, replacement: require.resolve('ws') }],
        },
        test: {
          name: 'frontend',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.e2e.test.ts'],
          setupFiles: ['./src/test-setup.ts'],
          globalSetup: ['./e2e/global-setup.ts'],
        },
      },
      // The model's input contract and image decoding: plain TypeScript.
      part('model'),
      // Training runs in Python; these tests drive it the way `npm run train` does and check what it exports.
      part('training', { testTimeout: 300_000 }),
      part('deploy', {
        exclude: ['**/node_modules/**'],
        // Boots PostgreSQL-backed servers; the build test runs `npm ci` and a Vite build on a clean copy.
        testTimeout: 60_000,
        hookTimeout: 120_000,
      }),
      // Only a smoke test of the benchmark harness; the benchmarks themselves are `npm run bench`.
      part('bench', { exclude: ['**/node_modules/**', '.scratch/**'], testTimeout: 20_000, hookTimeout: 20_000 }),
      './functions/worker/vitest.config.ts',
    ],
  },
});
