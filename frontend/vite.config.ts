import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// The page is its own Vite root so `vite build frontend` (or `vite build` with this config)
// writes frontend/dist, which the Node server serves at `/`.
const root = fileURLToPath(new URL('.', import.meta.url));
// Where `npm start` serves the API during development; override with API_URL.
const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root,
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // Two pages: the main one (index.html) and the learning loop's (admin.html, /admin.html), each with
    // its own script, so the main page's bundle carries none of the admin page's code.
    rollupOptions: { input: { main: `${root}index.html`, admin: `${root}admin.html` } },
  },
  server: {
    // In development the API runs separately (npm start); forward /api to it.
    proxy: { '/api': apiUrl },
  },
});
