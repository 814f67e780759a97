import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'deploy',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    environment: 'node',
    // Boots PostgreSQL-backed servers; the build test runs `npm ci` and a Vite build on a clean copy.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
