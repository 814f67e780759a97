// The JSON form of a stored prediction, shared by the history list and the feedback answer.
import type { PredictionRow } from '../store/store.ts';

export const toPredictionJson = (row: PredictionRow) => ({
  id: row.id,
  createdAt: new Date(row.createdAt).toISOString(),
  digit: row.predictedDigit,
  confidence: row.confidence,
  probabilities: row.probabilities,
  trueLabel: row.trueLabel,
  labeledAt: row.labeledAt === null ? null : new Date(row.labeledAt).toISOString(),
  modelVersion: row.modelVersion,
  source: row.source,
});
