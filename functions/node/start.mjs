// `npm start`: builds what is not built yet (the page, with Vite), then runs the server (TypeScript via tsx).
import { buildPage } from '../../frontend/build-page.mjs';

try {
  buildPage();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./server.ts');
main().catch((error) => {
  console.error(`the server could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
