import { describe, expect, it } from 'vitest';
import { formatPercent, formatTime, parseDigit } from './format';

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

describe('parseDigit', () => {
  it('accepts exactly one digit', () => {
    expect(parseDigit('7')).toBe(7);
    expect(parseDigit(' 0 ')).toBe(0);
    expect(parseDigit('')).toBeNull();
    expect(parseDigit('12')).toBeNull();
    expect(parseDigit('a')).toBeNull();
    expect(parseDigit('-1')).toBeNull();
  });
});
