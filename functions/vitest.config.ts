import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'functions',
    include: ['**/*.test.ts'],
    environment: 'node',
    // Integration tests start PGlite, websockify and real servers.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
