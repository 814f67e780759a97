import { defineConfig } from 'vitest/config';

// Each top-level part owns its test configuration beside its code.
export default defineConfig({
  test: {
    projects: ['./*/vitest.config.ts'],
  },
});
