// The JSON forms of a stored prediction: the history item, which everyone may read, and the full form
// for whoever holds the id (the feedback answer).
import type { PredictionRow } from '../store/store.ts';

/** No id: an id lets whoever holds it label the prediction, so the public history never shows one. */
export const toHistoryItemJson = (row: PredictionRow) => ({
  createdAt: new Date(row.createdAt).toISOString(),
  digit: row.predictedDigit,
  confidence: row.confidence,
  probabilities: row.probabilities,
  trueLabel: row.trueLabel,
  labeledAt: row.labeledAt === null ? null : new Date(row.labeledAt).toISOString(),
  modelVersion: row.modelVersion,
  source: row.source,
});

export const toPredictionJson = (row: PredictionRow) => ({ id: row.id, ...toHistoryItemJson(row) });
