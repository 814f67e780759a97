// Test doubles for the parts of the browser jsdom lacks: a 2D context that records its calls,
// PointerEvent, and a canvas with a layout size.
import { vi } from 'vitest';

export type Call = { op: string; args: unknown[] };

export function recordingContext() {
  const calls: Call[] = [];
  const record =
    (op: string) =>
    (...args: unknown[]) => {
      calls.push({ op, args });
    };
  const ctx = {
    calls,
    lineWidth: 1,
    lineCap: 'butt',
    lineJoin: 'miter',
    strokeStyle: '#000',
    fillStyle: '#000',
    beginPath: record('beginPath'),
    moveTo: record('moveTo'),
    lineTo: record('lineTo'),
    quadraticCurveTo: record('quadraticCurveTo'),
    arc: record('arc'),
    stroke: record('stroke'),
    fill: record('fill'),
    fillRect: record('fillRect'),
    setTransform: record('setTransform'),
    putImageData: record('putImageData'),
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    getImageData: (_x: number, _y: number, w: number, h: number) => {
      calls.push({ op: 'getImageData', args: [w, h] });
      return { width: w, height: h, data: new Uint8ClampedArray(w * h * 4) };
    },
  };
  return ctx;
}

/** jsdom has no PointerEvent; a MouseEvent subclass with the pointer fields is enough for handlers. */
export function installPointerEvent() {
  if (typeof window.PointerEvent === 'function') return;
  class PointerEventShim extends MouseEvent {
    pointerId: number;
    pointerType: string;
    constructor(type: string, init: PointerEventInit = {}) {
      super(type, init);
      this.pointerId = init.pointerId ?? 1;
      this.pointerType = init.pointerType ?? 'mouse';
    }
  }
  vi.stubGlobal('PointerEvent', PointerEventShim);
}

/** Gives an element a layout box (jsdom lays nothing out). */
export function setBox(el: Element, left: number, top: number, width: number, height = width) {
  el.getBoundingClientRect = () =>
    ({ left, top, width, height, right: left + width, bottom: top + height, x: left, y: top }) as DOMRect;
}

type Pt = [number, number];

/** Presses, drags through the points and releases, like a person drawing one stroke. */
export function drawStroke(target: Element, points: Pt[], init: PointerEventInit = {}) {
  const base = { bubbles: true, cancelable: true, pointerId: 1, pointerType: 'mouse', button: 0, ...init };
  const [first, ...rest] = points;
  target.dispatchEvent(new PointerEvent('pointerdown', { ...base, clientX: first[0], clientY: first[1] }));
  for (const [x, y] of rest) target.dispatchEvent(new PointerEvent('pointermove', { ...base, clientX: x, clientY: y }));
  const last = points[points.length - 1];
  target.dispatchEvent(new PointerEvent('pointerup', { ...base, clientX: last[0], clientY: last[1] }));
}
