import { describe, expect, it } from 'vitest';
import { summarizeStats } from './summarize-stats.ts';

describe('summarizeStats', () => {
  it('gives null rates when nothing is labeled', () => {
    const s = summarizeStats({ total: 3, labeled: 0, correct: 0, confusion: [], byModel: [] });
    expect(s.accuracy).toBeNull();
    expect(s.perDigit.every((d) => d.precision === null && d.recall === null)).toBe(true);
    expect(s.confusionMatrix).toHaveLength(10);
    expect(s.confusionMatrix.flat().every((n) => n === 0)).toBe(true);
  });

  it('computes precision and recall from the confusion matrix (rows true, columns predicted)', () => {
    // Three 7s: two predicted 7, one predicted 1. One 1 predicted 7.
    const s = summarizeStats({
      total: 5,
      labeled: 4,
      correct: 2,
      confusion: [
        { trueLabel: 7, predictedDigit: 7, count: 2 },
        { trueLabel: 7, predictedDigit: 1, count: 1 },
        { trueLabel: 1, predictedDigit: 7, count: 1 },
      ],
      byModel: [{ modelVersion: '1', total: 5, labeled: 4, correct: 2 }],
    });
    expect(s.accuracy).toBe(0.5);
    expect(s.confusionMatrix[7]![1]).toBe(1);
    expect(s.confusionMatrix[1]![7]).toBe(1);
    expect(s.perDigit[7]).toEqual({ digit: 7, support: 3, predicted: 3, precision: 2 / 3, recall: 2 / 3 });
    expect(s.perDigit[1]).toEqual({ digit: 1, support: 1, predicted: 1, precision: 0, recall: 0 });
    expect(s.perDigit[3]!.precision).toBeNull();
    expect(s.byModel[0]!.accuracy).toBe(0.5);
  });
});
