// Worker-thread entry when the server runs from source: the thread has no TypeScript loader of its own.
// (The bundled server, as in the Docker image, starts inference-worker.bundle.mjs instead.)
import { register } from 'tsx/esm/api';

register();
await import('./inference-worker.ts');
