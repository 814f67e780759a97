// What a runtime adapter (functions/node/server.ts, later the Worker) hands to createApp.
import type { ModelHolder } from './inference/model-holder.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  store: Store;
  models: ModelHolder;
  /** Bearer token for /api/admin/*; the admin endpoints answer 404 when it is unset. */
  adminToken?: string;
  /** One line per request and the details of 5xx errors; console.log when unset. */
  log?: (line: string) => void;
  limits?: Partial<BodyLimits>;
}

export interface BodyLimits {
  /** Largest JSON body (a 784-number drawing is ~15 KB). */
  jsonBytes: number;
  /** Largest image or multipart body: a canvas export at a high device pixel ratio fits easily. */
  imageBytes: number;
}

export const DEFAULT_LIMITS: BodyLimits = { jsonBytes: 256 * 1024, imageBytes: 10 * 1024 * 1024 };

export type AppEnv = { Variables: { requestId: string } };
