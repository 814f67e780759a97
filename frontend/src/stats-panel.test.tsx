import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { StatsPanel } from './stats-panel';
import { normalizeStats } from './stats-model';

describe('StatsPanel', () => {
  it('shows accuracy, counts, recall per digit and the matrix', () => {
    const m = Array.from({ length: 10 }, () => Array(10).fill(0));
    m[0][0] = 3;
    m[0][6] = 1;
    const stats = normalizeStats({ total: 10, labeled: 4, correct: 3, accuracy: 0.75, confusionMatrix: m });
    const view = render(() => <StatsPanel stats={stats} />);
    expect(view.getByTestId('accuracy').textContent).toBe('75.0%');
    expect(view.getByText('Labeled').nextElementSibling?.textContent).toBe('4 of 10');
    const recall = view.getByRole('list', { name: /recall/i }).querySelectorAll('li');
    expect(recall[0].textContent).toContain('75.0% (4)');
    expect(recall[1].textContent).toContain('– (0)');
    expect(view.getByRole('table', { name: /confusion/i })).toBeTruthy();
  });

  it('shows a dash, not 0%, when nothing is labeled', () => {
    const m = Array.from({ length: 10 }, () => Array(10).fill(0));
    const view = render(() => <StatsPanel stats={normalizeStats({ total: 2, accuracy: null, confusionMatrix: m })} />);
    expect(view.getByTestId('accuracy').textContent).toBe('–');
  });
});
