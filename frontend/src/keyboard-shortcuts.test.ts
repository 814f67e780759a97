import { describe, expect, it, vi } from 'vitest';
import { bindShortcuts, shortcutFor } from './keyboard-shortcuts';

function press(init: KeyboardEventInit, target: HTMLElement = document.body) {
  const event = new KeyboardEvent('keydown', { ...init, bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

const element = (html: string) => {
  document.body.innerHTML = html;
  return document.body.firstElementChild as HTMLElement;
};

describe('shortcutFor', () => {
  it('maps Enter, Ctrl or Cmd+Z and Escape on the page', () => {
    const seen: (string | null)[] = [];
    const listener = (e: KeyboardEvent) => seen.push(shortcutFor(e));
    window.addEventListener('keydown', listener);
    press({ key: 'Enter' });
    press({ key: 'z', ctrlKey: true });
    press({ key: 'Z', metaKey: true });
    press({ key: 'Escape' });
    press({ key: 'z', ctrlKey: true, shiftKey: true }); // redo, not undo
    press({ key: 'Enter', altKey: true });
    press({ key: 'a' });
    window.removeEventListener('keydown', listener);
    expect(seen).toEqual(['predict', 'undo', 'undo', 'clear', null, null, null]);
  });

  it('leaves text fields their keys and Enter to a focused button or link', () => {
    const seen: (string | null)[] = [];
    const listener = (e: KeyboardEvent) => seen.push(shortcutFor(e));
    window.addEventListener('keydown', listener);
    press({ key: 'Enter' }, element('<input type="text">'));
    press({ key: 'z', ctrlKey: true }, element('<textarea></textarea>'));
    press({ key: 'Enter' }, element('<button>Go</button>'));
    press({ key: 'Enter' }, element('<a href="#x">x</a>'));
    press({ key: 'z', ctrlKey: true }, element('<button>Go</button>'));
    press({ key: 'z', ctrlKey: true }, element('<input type="range">'));
    window.removeEventListener('keydown', listener);
    expect(seen).toEqual([null, null, null, null, 'undo', 'undo']);
  });
});

describe('bindShortcuts', () => {
  it("runs the action, takes the page's keys from the browser and stops when unbound", () => {
    const actions = { predict: vi.fn(), undo: vi.fn(), clear: vi.fn() };
    const unbind = bindShortcuts(window, actions);
    expect(press({ key: 'z', ctrlKey: true }).defaultPrevented).toBe(true);
    expect(press({ key: 'Escape' }).defaultPrevented).toBe(false);
    unbind();
    press({ key: 'Enter' });
    expect(actions.undo).toHaveBeenCalledTimes(1);
    expect(actions.clear).toHaveBeenCalledTimes(1);
    expect(actions.predict).not.toHaveBeenCalled();
  });
});
