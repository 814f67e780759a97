/**
 * Scrolls an element into view only when part of it is off screen. On a phone the prediction,
 * its alerts and the drawing pad are a screen apart: after each step the page brings the next
 * thing the person needs into view. On a desktop, where everything is visible, nothing moves.
 */
export function reveal(el: Element | null | undefined): void {
  if (!el || typeof el.scrollIntoView !== 'function') return;
  const box = el.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return; // not laid out (hidden, or no layout engine)
  if (box.top >= 0 && box.bottom <= window.innerHeight) return;
  const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  el.scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
}
