import { defineConfig } from 'vitest/config';

// Only a smoke test of the benchmark harness runs with `npm test`; the benchmarks themselves are `npm run bench`.
export default defineConfig({
  test: {
    name: 'bench',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '.scratch/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
