import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { BarList } from './bar-list';

describe('BarList', () => {
  it('writes every value out, sizes the bars and marks the highlighted one', () => {
    const view = render(() => (
      <BarList
        label="Probabilities"
        bars={[
          { label: '0', value: 0.25 },
          { label: '1', value: 0.75, highlight: true, detail: '(4)' },
          { label: '2', value: null },
        ]}
      />
    ));
    const list = view.getByRole('list', { name: 'Probabilities' });
    const items = list.querySelectorAll('li');
    expect(items).toHaveLength(3);
    expect(items[0].textContent).toContain('25.0%');
    expect(items[1].textContent).toContain('75.0% (4)');
    expect(items[2].textContent).toContain('–');
    expect((items[1].querySelector('.bar-fill') as HTMLElement).style.width).toBe('75%');
    expect(items[2].querySelector('.bar-fill')).toBeNull(); // no value, no bar
    expect(items[1].classList.contains('highlight')).toBe(true);
    expect(items[0].classList.contains('highlight')).toBe(false);
  });
});
