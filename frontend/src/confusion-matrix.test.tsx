import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { ConfusionMatrix, shade } from './confusion-matrix';

describe('shade', () => {
  it('is 0 for nothing, 1 for the largest cell, and lifts small counts', () => {
    expect(shade(0, 10)).toBe(0);
    expect(shade(5, 0)).toBe(0);
    expect(shade(10, 10)).toBe(1);
    expect(shade(1, 100)).toBeCloseTo(0.1);
  });
});

describe('ConfusionMatrix', () => {
  it('draws 10x10 cells with rows as the true digit and columns as the answer', () => {
    const m = Array.from({ length: 10 }, () => Array(10).fill(0));
    m[2][2] = 9;
    m[2][7] = 1;
    const view = render(() => <ConfusionMatrix matrix={m} />);
    const table = view.getByRole('table', { name: /rows are the true digit/i });
    const rows = table.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(10);
    const cells = rows[2].querySelectorAll('td');
    expect(cells).toHaveLength(10);
    expect(cells[2].textContent).toBe('9');
    expect(cells[2].classList.contains('diag')).toBe(true);
    expect(cells[2].classList.contains('strong')).toBe(true);
    expect(cells[7].textContent).toBe('1');
    expect(cells[7].getAttribute('title')).toBe('drew 2, model said 7: 1');
    expect(Number(cells[7].style.getPropertyValue('--level'))).toBeCloseTo(Math.sqrt(1 / 9), 3);
    expect(cells[5].classList.contains('zero')).toBe(true);
  });
});
