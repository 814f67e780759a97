// Turns the raw counts from the store into the GET /api/stats body.
import type { StatsCounts } from '../store/store.ts';

export interface DigitStats {
  digit: number;
  /** Labeled predictions whose true label is this digit. */
  support: number;
  /** Labeled predictions that predicted this digit. */
  predicted: number;
  /** Of labeled predictions of this digit, the share that was right; null when there were none. */
  precision: number | null;
  /** Of labeled drawings of this digit, the share predicted right; null when there were none. */
  recall: number | null;
}

export interface StatsBody {
  total: number;
  labeled: number;
  correct: number;
  accuracy: number | null;
  perDigit: DigitStats[];
  /** confusionMatrix[trueLabel][predictedDigit], labeled predictions only. */
  confusionMatrix: number[][];
  byModel: { modelVersion: string; total: number; labeled: number; correct: number; accuracy: number | null }[];
}

const ratio = (part: number, whole: number) => (whole === 0 ? null : part / whole);
const DIGITS = Array.from({ length: 10 }, (_, d) => d);

export function summarizeStats(counts: StatsCounts): StatsBody {
  const matrix = DIGITS.map(() => DIGITS.map(() => 0));
  for (const cell of counts.confusion) matrix[cell.trueLabel]![cell.predictedDigit]! += cell.count;
  const perDigit = DIGITS.map((digit) => {
    const hits = matrix[digit]![digit]!;
    const support = matrix[digit]!.reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((sum, row) => sum + row[digit]!, 0);
    return { digit, support, predicted, precision: ratio(hits, predicted), recall: ratio(hits, support) };
  });
  return {
    total: counts.total,
    labeled: counts.labeled,
    correct: counts.correct,
    accuracy: ratio(counts.correct, counts.labeled),
    perDigit,
    confusionMatrix: matrix,
    byModel: counts.byModel.map((m) => ({ ...m, accuracy: ratio(m.correct, m.labeled) })),
  };
}
