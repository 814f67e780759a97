import { createRequire } from 'node:module';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

const require = createRequire(import.meta.url);

// One project for the page: component tests run in jsdom; the end-to-end tests in e2e/
// switch themselves to the node environment (a per-file docblock) and drive Debian's Chromium.
export default mergeConfig(
  viteConfig,
  defineConfig({
    resolve: {
      // vite-plugin-solid adds the `browser` resolve condition to every environment under test,
      // which would hand the e2e tests' database helper the browser stub of `ws`. Pin Node's build.
      alias: [{ find: /^ws$/, replacement: require.resolve('ws') }],
    },
    test: {
      name: 'frontend',
      environment: 'jsdom',
      include: ['src/**/*.test.{ts,tsx}', 'e2e/**/*.e2e.test.ts'],
      setupFiles: ['./src/test-setup.ts'],
      globalSetup: ['./e2e/global-setup.ts'],
    },
  }),
);
