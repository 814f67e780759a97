import { defineConfig } from 'vitest/config';

// Each top-level part owns its test configuration beside its code; the Worker's tests run inside
// workerd, a project of their own (a project config cannot list further projects).
export default defineConfig({
  test: {
    projects: ['./*/vitest.config.ts', './functions/worker/vitest.config.ts'],
  },
});
