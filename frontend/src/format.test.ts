import { describe, expect, it } from 'vitest';
import { formatPercent, formatTime, parseDigits } from './format';

describe('formatPercent', () => {
  it('shows one decimal and clamps to 0..100%', () => {
    expect(formatPercent(0.9731)).toBe('97.3%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(1.2)).toBe('100.0%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(Number.NaN)).toBe('–');
  });
});

describe('formatTime', () => {
  it('formats a timestamp as a clock time and leaves garbage untouched', () => {
    expect(formatTime('2026-11-23T10:04:05Z')).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    expect(formatTime('not a date')).toBe('not a date');
  });
});

describe('parseDigits', () => {
  it('accepts exactly one digit for one', () => {
    expect(parseDigits('7', 1)).toEqual([7]);
    expect(parseDigits(' 0 ', 1)).toEqual([0]);
    expect(parseDigits('', 1)).toBeNull();
    expect(parseDigits('12', 1)).toBeNull();
    expect(parseDigits('a', 1)).toBeNull();
    expect(parseDigits('-1', 1)).toBeNull();
  });

  it('accepts a number of exactly as many digits', () => {
    expect(parseDigits('2026', 4)).toEqual([2, 0, 2, 6]);
    expect(parseDigits('202', 4)).toBeNull();
    expect(parseDigits('20265', 4)).toBeNull();
    expect(parseDigits('20 6', 4)).toBeNull();
  });
});
