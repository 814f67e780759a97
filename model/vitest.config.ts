import { defineConfig } from 'vitest/config';

// The model's input contract and image decoding: plain TypeScript, tested in Node.
export default defineConfig({
  test: {
    name: 'model',
    environment: 'node',
    include: ['**/*.test.ts'],
  },
});
