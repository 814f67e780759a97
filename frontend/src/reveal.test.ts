import { afterEach, describe, expect, it, vi } from 'vitest';
import { reveal } from './reveal';

const boxed = (top: number, height: number) => {
  const el = document.createElement('div');
  el.getBoundingClientRect = () => ({ top, bottom: top + height, height, width: 100, left: 0, right: 100 }) as DOMRect;
  el.scrollIntoView = vi.fn();
  return el;
};

afterEach(() => vi.unstubAllGlobals());

describe('reveal', () => {
  it('leaves a fully visible element alone', () => {
    vi.stubGlobal('innerHeight', 740);
    const el = boxed(100, 200);
    reveal(el);
    expect(el.scrollIntoView).not.toHaveBeenCalled();
  });

  it('scrolls the least needed to show an element below or above the screen', () => {
    vi.stubGlobal('innerHeight', 740);
    for (const el of [boxed(900, 300), boxed(-400, 300), boxed(600, 300)]) {
      reveal(el);
      expect(el.scrollIntoView).toHaveBeenCalledWith(expect.objectContaining({ block: 'nearest' }));
    }
  });

  it('jumps instead of gliding when reduced motion is asked for', () => {
    vi.stubGlobal('innerHeight', 740);
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: q.includes('reduce') }));
    const el = boxed(900, 300);
    reveal(el);
    expect(el.scrollIntoView).toHaveBeenCalledWith({ block: 'nearest', behavior: 'auto' });
  });

  it('does nothing for elements that are not laid out', () => {
    const el = boxed(0, 0);
    el.getBoundingClientRect = () => ({ top: 0, bottom: 0, height: 0, width: 0 }) as DOMRect;
    reveal(el);
    expect(el.scrollIntoView).not.toHaveBeenCalled();
    expect(() => reveal(null)).not.toThrow();
  });
});
