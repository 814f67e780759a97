// The API's answers, read from the server's own route handlers (the bodies they pass to c.json),
// so the page never types them again: when a handler's answer changes, the page's use of it stops
// typechecking. Type-only imports: none of the server's code reaches the page's bundle.
import type { ExtractSchema } from 'hono/types';
import type { z } from 'zod';
import type { feedbackRoute } from '../../functions/routes/feedback.ts';
import type { numbersRoute, strokesJsonSchema } from '../../functions/routes/numbers.ts';
import type { predictRoute } from '../../functions/routes/predict.ts';
import type { predictionsRoute } from '../../functions/routes/predictions.ts';
import type { statsRoute } from '../../functions/routes/stats.ts';

type Schema<Route extends (...args: never[]) => unknown> = ExtractSchema<ReturnType<Route>>;
/** The success body of one endpoint; its validators' `{ error }` answers are left out. */
type Success<Endpoint> = Endpoint extends { output: infer Body } ? Exclude<Body, { error: unknown }> : never;

/** POST /api/predict. */
export type Prediction = Success<Schema<typeof predictRoute>['/']['$post']>;
export type ModelInfo = Prediction['model'];
/** POST /api/numbers: the digits of a row in reading order, each its own prediction with its box in the picture's pixels. */
export type NumberAnswer = Success<Schema<typeof numbersRoute>['/']['$post']>;
export type NumberDigit = NumberAnswer['digits'][number];
/** POST /api/numbers's strokes body: each stroke's points in pixels of a width x height canvas, and its pen. */
export type NumberStrokes = Omit<z.input<typeof strokesJsonSchema>, 'source'>;
/** GET /api/predictions: newest first. */
export type HistoryPage = Success<Schema<typeof predictionsRoute>['/']['$get']>;
export type HistoryItem = HistoryPage['items'][number];
/** POST /api/predictions/{id}/feedback: the prediction with its true label. */
export type FeedbackAnswer = Success<Schema<typeof feedbackRoute>['/:id/feedback']['$post']>;
/** GET /api/stats: counts, accuracy and per-digit figures, all computed by the server. */
export type Stats = Success<Schema<typeof statsRoute>['/']['$get']>;
export type DigitStats = Stats['perDigit'][number];
