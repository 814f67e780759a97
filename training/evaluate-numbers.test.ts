import { describe, expect, it } from 'vitest';
import { matchedDigits } from './evaluate-numbers.ts';

describe('matchedDigits', () => {
  it('counts the digits read right in their place, whatever was added or lost around them', () => {
    expect(matchedDigits('2026', '2026')).toBe(4);
    expect(matchedDigits('2026', '226')).toBe(3); // a digit lost
    expect(matchedDigits('0155', '27155')).toBe(3); // the 0 cut into two
    expect(matchedDigits('4276', '4226')).toBe(3); // one misread
    expect(matchedDigits('12', '21')).toBe(1); // order matters
    expect(matchedDigits('12', '')).toBe(0);
  });
});
