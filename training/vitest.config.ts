import { defineConfig } from 'vitest/config';

// Training runs in Python; these tests drive it the way `npm run train` does and check what it exports.
export default defineConfig({
  test: {
    name: 'training',
    environment: 'node',
    include: ['**/*.test.ts'],
    testTimeout: 300_000,
  },
});
