// The page's keys: Enter predicts, Ctrl/Cmd+Z undoes, Escape clears. Text fields keep their own
// keys (typing, native undo), and Enter on a focused button or link still presses it.

export type Shortcuts = { predict: () => void; undo: () => void; clear: () => void };

const NOT_TEXT = new Set(['range', 'checkbox', 'radio', 'button', 'submit', 'reset']);
/** Fields with keys of their own; a slider or checkbox has none of these. */
const isTextField = (el: EventTarget | null) =>
  el instanceof HTMLElement &&
  (el.isContentEditable ||
    /^(TEXTAREA|SELECT)$/.test(el.tagName) ||
    (el instanceof HTMLInputElement && !NOT_TEXT.has(el.type)));

/** The shortcut a key press stands for, if any. */
export function shortcutFor(e: KeyboardEvent): keyof Shortcuts | null {
  if (isTextField(e.target) || e.altKey) return null;
  const onControl = e.target instanceof HTMLElement && /^(BUTTON|A)$/.test(e.target.tagName);
  if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z') return 'undo';
  if (e.key === 'Enter' && !onControl && !e.ctrlKey && !e.metaKey) return 'predict';
  if (e.key === 'Escape') return 'clear';
  return null;
}

/** Listens for the shortcuts on `target`; returns the function that stops listening. */
export function bindShortcuts(target: Window, actions: Shortcuts): () => void {
  const onKey = (e: KeyboardEvent) => {
    const shortcut = shortcutFor(e);
    if (!shortcut) return;
    // Escape's default (leaving full screen, closing a menu) stays; the other keys are the page's.
    if (shortcut !== 'clear') e.preventDefault();
    actions[shortcut]();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
