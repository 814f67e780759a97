// The admin API's answers, read from the server's route handlers by type-only imports (as api-types.ts
// does for the main page): no server code reaches the bundle.
import type { ExtractSchema } from 'hono/types';
import type { modelAdminRoutes } from '../../../functions/routes/admin-models.ts';
import type { retrainJobRoutes } from '../../../functions/routes/retrain-jobs.ts';

type Schema<Route extends (...args: never[]) => unknown> = ExtractSchema<ReturnType<Route>>;
type Success<Endpoint> = Endpoint extends { output: infer Body } ? Exclude<Body, { error: unknown }> : never;

/** GET /api/admin/models: every version with its card, oldest first. */
export type VersionList = Success<Schema<typeof modelAdminRoutes>['/']['$get']>;
export type ModelVersion = VersionList['versions'][number];
/** GET /api/admin/models/live: each version's predictions and accuracy on their labels. */
export type LiveFigures = Success<Schema<typeof modelAdminRoutes>['/live']['$get']>['versions'][number];
/** GET /api/admin/retrain-jobs: newest first. */
export type RetrainJob = Success<Schema<typeof retrainJobRoutes>['/']['$get']>['jobs'][number];
