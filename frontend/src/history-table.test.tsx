import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { type HistoryRow, HistoryTable } from './history-table';

const item = (over: Partial<HistoryRow>): HistoryRow => ({
  createdAt: '2026-11-23T10:00:00Z',
  digit: 1,
  confidence: 0.5,
  trueLabel: null,
  ...over,
});

describe('HistoryTable', () => {
  it('lists time, predicted digit, confidence and true label per prediction', () => {
    const view = render(() => (
      <HistoryTable
        loading={false}
        items={[
          item({ digit: 7, confidence: 0.912, trueLabel: 7 }),
          item({ digit: 1, confidence: 0.6, trueLabel: 4 }),
          item({ digit: 3, trueLabel: null }),
        ]}
      />
    ));
    const table = view.getByTestId('history');
    expect(Array.from(table.querySelectorAll('th')).map((th) => th.textContent)).toEqual([
      'Time', 'Predicted', 'Confidence', 'True label',
    ]);
    const rows = table.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(3);
    const cells = (r: number) => Array.from(rows[r].querySelectorAll('td')).map((td) => td.textContent);
    expect(cells(0).slice(1)).toEqual(['7', '91.2%', '7✓ (right)']);
    expect(cells(1)[3]).toBe('4✗ (wrong)');
    expect(rows[1].classList.contains('wrong')).toBe(true);
    expect(cells(2)[3]).toBe('–');
    expect(rows[0].querySelector('time')?.getAttribute('datetime')).toBe('2026-11-23T10:00:00Z');
  });

  it('says so when there is nothing yet', () => {
    const view = render(() => <HistoryTable loading={false} items={[]} />);
    expect(view.getByTestId('history').textContent).toMatch(/no predictions yet/i);
  });
});
