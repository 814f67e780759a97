import { afterEach } from 'vitest';

// Only the jsdom component tests need this; the end-to-end tests run in node with a real browser.
if (typeof document !== 'undefined') {
  const { cleanup } = await import('@solidjs/testing-library');
  // Unmount rendered components between tests so each test starts from a fresh document.
  afterEach(() => cleanup());

  // jsdom's getContext logs "not implemented" and returns null. Return that same null quietly;
  // the tests of the canvas code itself replace it with a recording context.
  HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;
}
