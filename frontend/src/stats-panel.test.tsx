import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { summarizeStats } from '../../functions/stats/summarize-stats.ts';
import type { Stats } from './api-types';
import { StatsPanel } from './stats-panel';

/** The body GET /api/stats answers for these labeled predictions, as the server computes it. */
function statsFor(total: number, labeled: [trueLabel: number, predictedDigit: number, count: number][]): Stats {
  const count = labeled.reduce((sum, [, , n]) => sum + n, 0);
  const correct = labeled.reduce((sum, [t, p, n]) => sum + (t === p ? n : 0), 0);
  const confusion = labeled.map(([trueLabel, predictedDigit, n]) => ({ trueLabel, predictedDigit, count: n }));
  return summarizeStats({ total, labeled: count, correct, confusion, byModel: [] });
}

describe('StatsPanel', () => {
  it('shows accuracy, counts, recall per digit and the matrix', () => {
    const stats = statsFor(10, [[0, 0, 3], [0, 6, 1]]);
    const view = render(() => <StatsPanel stats={stats} />);
    expect(view.getByTestId('accuracy').textContent).toBe('75.0%');
    expect(view.getByText('Labeled').nextElementSibling?.textContent).toBe('4 of 10');
    const recall = view.getByRole('list', { name: /recall/i }).querySelectorAll('li');
    expect(recall[0].textContent).toContain('75.0% (4)');
    expect(recall[1].textContent).toContain('– (0)');
    expect(view.getByRole('table', { name: /confusion/i })).toBeTruthy();
  });

  it("shows the server's figures per digit and the matrix cell by cell", () => {
    const stats = statsFor(9, [[3, 3, 3], [3, 5, 1], [7, 7, 2]]);
    const view = render(() => <StatsPanel stats={stats} />);
    expect(view.getByTestId('accuracy').textContent).toBe('83.3%');
    expect(view.getByText('Labeled').nextElementSibling?.textContent).toBe('6 of 9');
    expect(view.getByText('Right').nextElementSibling?.textContent).toBe('5');
    const recall = view.getByRole('list', { name: /recall/i }).querySelectorAll('li');
    expect(recall[3].textContent).toContain('75.0% (4)');
    expect(recall[5].textContent).toContain('– (0)');
    expect(view.getByTitle('drew 3, model said 5: 1').textContent).toBe('1');
  });

  it('computes no per-digit figure of its own: what the server sends is what shows', () => {
    const stats = statsFor(4, [[2, 2, 4]]);
    stats.perDigit[2] = { ...stats.perDigit[2]!, recall: 0.5, support: 8 };
    const view = render(() => <StatsPanel stats={stats} />);
    const recall = view.getByRole('list', { name: /recall/i }).querySelectorAll('li');
    expect(recall[2].textContent).toContain('50.0% (8)');
  });

  it('shows a dash, not 0%, when nothing is labeled', () => {
    const view = render(() => <StatsPanel stats={statsFor(2, [])} />);
    expect(view.getByTestId('accuracy').textContent).toBe('–');
  });
});
