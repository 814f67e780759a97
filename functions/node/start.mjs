// `npm start`: builds what is not built yet (the page, with Vite), then runs the server (TypeScript via tsx).
import { buildPage } from '../../frontend/build-page.mjs';
import { startTrainer } from '../../training/trainer-process.mjs';
import { portFromEnv } from '../port.mjs';

try {
  buildPage();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./server.ts');
main()
  // The retraining jobs' trainer, where PyTorch is importable (training/trainer-process.mjs; TRAINER=off: none).
  .then(() => startTrainer(process.env, portFromEnv(process.env.PORT)))
  .catch((error) => {
    console.error(`the server could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  });
