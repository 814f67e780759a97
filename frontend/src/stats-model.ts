// The page's view of GET /api/stats (functions/stats/summarize-stats.ts). Counts come from the
// server; anything it leaves out is derived from the confusion matrix, so a missing field never
// shows as a made-up number.

export type DigitStat = { digit: number; support: number; recall: number | null; precision: number | null };
export type Stats = {
  total: number;
  labeled: number;
  correct: number;
  accuracy: number | null;
  perDigit: DigitStat[];
  /** confusion[trueLabel][predictedDigit] over labeled predictions. */
  confusion: number[][];
};

const DIGITS = Array.from({ length: 10 }, (_, d) => d);
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export class StatsShapeError extends Error {}

export function normalizeStats(raw: unknown): Stats {
  const body = (raw ?? {}) as Record<string, unknown>;
  const matrix = body.confusionMatrix ?? body.confusion;
  if (!Array.isArray(matrix) || matrix.length !== 10 || !matrix.every((r) => Array.isArray(r) && r.length === 10)) {
    throw new StatsShapeError('The statistics from the server have no 10x10 confusion matrix.');
  }
  const confusion = matrix.map((row: unknown[]) => row.map((v) => count(v) ?? 0));
  const labeledFromMatrix = confusion.flat().reduce((a, b) => a + b, 0);
  const correctFromMatrix = DIGITS.reduce((sum, d) => sum + confusion[d][d], 0);
  const labeled = count(body.labeled) ?? labeledFromMatrix;
  const correct = count(body.correct) ?? correctFromMatrix;
  const perDigit = DIGITS.map((digit) => {
    const hits = confusion[digit][digit];
    const support = confusion[digit].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[digit], 0);
    return { digit, support, recall: ratio(hits, support), precision: ratio(hits, predicted) };
  });
  return {
    total: count(body.total) ?? labeled,
    labeled,
    correct,
    accuracy: body.accuracy === null ? null : (count(body.accuracy) ?? ratio(correct, labeled)),
    perDigit,
    confusion,
  };
}
