// The Worker's tests run inside workerd (@cloudflare/vitest-pool-workers), with wrangler.toml's bindings
// and module rules, against the real PostgreSQL that global-setup.ts starts a websockify for.
import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export const WORKER_TEST_ADMIN_TOKEN = 'worker-test-admin-token-0123456789';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default defineConfig({
  // The repository root, not this folder: the pool loads rule-typed modules (.onnx, .sql, .wasm) by
  // their path under the root and cannot load those outside it (Vite's /@fs/ paths).
  root: ROOT,
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: `${ROOT}wrangler.toml` },
      miniflare: {
        bindings: {
          DATABASE_URL: inject('databaseUrl'),
          DATABASE_WS_PROXY: inject('wsProxy'),
          ADMIN_TOKEN: WORKER_TEST_ADMIN_TOKEN,
        },
        // A second, tight limiter, for the test that runs into it.
        ratelimits: { TWO_PER_MINUTE: { simple: { limit: 2, period: 60 } } },
      },
    })),
  ],
  test: {
    name: 'worker',
    root: ROOT,
    include: ['functions/worker/**/*.workerd.test.ts'],
    globalSetup: ['functions/worker/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
