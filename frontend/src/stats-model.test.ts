import { describe, expect, it } from 'vitest';
import { normalizeStats, StatsShapeError } from './stats-model';

const empty = () => Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => 0));

describe('normalizeStats', () => {
  it('reads the server body and derives per-digit recall from the matrix', () => {
    const m = empty();
    m[3][3] = 3;
    m[3][5] = 1;
    m[7][7] = 2;
    const stats = normalizeStats({ total: 9, labeled: 6, correct: 5, accuracy: 5 / 6, confusionMatrix: m });
    expect(stats.total).toBe(9);
    expect(stats.accuracy).toBeCloseTo(5 / 6);
    expect(stats.perDigit[3]).toEqual({ digit: 3, support: 4, recall: 0.75, precision: 1 });
    expect(stats.perDigit[5]).toEqual({ digit: 5, support: 0, recall: null, precision: 0 });
    expect(stats.perDigit[0].recall).toBeNull();
    expect(stats.confusion[3][5]).toBe(1);
  });

  it('keeps a null accuracy null and derives missing counts from the matrix', () => {
    expect(normalizeStats({ total: 4, accuracy: null, confusion: empty() })).toMatchObject({
      total: 4,
      labeled: 0,
      correct: 0,
      accuracy: null,
    });
    const m = empty();
    m[1][1] = 1;
    m[1][7] = 1;
    expect(normalizeStats({ confusion: m })).toMatchObject({ total: 2, labeled: 2, correct: 1, accuracy: 0.5 });
  });

  it('rejects a body without a 10x10 matrix', () => {
    expect(() => normalizeStats({ total: 1 })).toThrow(StatsShapeError);
    expect(() => normalizeStats({ confusionMatrix: [[1]] })).toThrow(StatsShapeError);
    expect(() => normalizeStats(null)).toThrow(StatsShapeError);
  });
});
