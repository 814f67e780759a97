import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'functions',
    include: ['**/*.test.ts'],
    // The Worker's tests run inside workerd, in their own project (worker/vitest.config.ts).
    exclude: ['**/node_modules/**', '**/*.workerd.test.ts'],
    environment: 'node',
    // Integration tests start PGlite, websockify and real servers.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
