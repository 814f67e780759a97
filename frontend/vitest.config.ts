import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

// One project for the page: component tests run in jsdom; the end-to-end tests in e2e/
// switch themselves to the node environment (a per-file docblock) and drive Debian's Chromium.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      name: 'frontend',
      environment: 'jsdom',
      include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.e2e.test.ts'],
      setupFiles: ['./src/test-setup.ts'],
    },
  }),
);
