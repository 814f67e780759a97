import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from './api-client';
import { createPageStore, PEN_MAX, PEN_MIN, type Place } from './page-store';
import { PAD } from './reading';
import type { Stroke } from './stroke-path';
import { createFakeServer } from './testing/fake-server';
import { stampRasterize } from './testing/stamp-rasterize';

// A seven in two strokes, in the pad's unit coordinates.
const SEVEN: Stroke[] = [
  { points: [{ x: 0.2, y: 0.2 }, { x: 0.5, y: 0.2 }, { x: 0.8, y: 0.2 }], width: 20 / 280 },
  { points: [{ x: 0.8, y: 0.2 }, { x: 0.65, y: 0.5 }, { x: 0.55, y: 0.82 }], width: 20 / 280 },
];

// "42" on the wide pad (twice as wide as tall): a four in the left half, a two in the right.
const half = (strokes: Stroke[], left: number): Stroke[] =>
  strokes.map((s) => ({ ...s, points: s.points.map((p) => ({ x: left + p.x / 2, y: p.y })) }));
const FOUR: Stroke[] = [
  { points: [{ x: 0.3, y: 0.15 }, { x: 0.25, y: 0.55 }, { x: 0.72, y: 0.55 }], width: 20 / 280 },
  { points: [{ x: 0.6, y: 0.15 }, { x: 0.6, y: 0.88 }], width: 20 / 280 },
];
const TWO: Stroke[] = [
  { points: [{ x: 0.3, y: 0.3 }, { x: 0.5, y: 0.15 }, { x: 0.7, y: 0.3 }, { x: 0.3, y: 0.85 }, { x: 0.75, y: 0.85 }], width: 20 / 280 },
];
const FORTY_TWO = [...half(FOUR, 0), ...half(TWO, 0.5)];

let dispose = () => {};
afterEach(() => dispose());

function setup(answer = 7, digits?: string) {
  const server = createFakeServer(answer, digits);
  const revealed: Place[] = [];
  const store = createRoot((done) => {
    dispose = done;
    return createPageStore({
      api: createApiClient(server.fetch),
      rasterize: stampRasterize,
      reveal: (place) => revealed.push(place),
    });
  });
  const draw = () => SEVEN.forEach(store.addStroke);
  return { server, store, revealed, draw };
}

/** Lets the refresh that follows a step (history and stats) land. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('page store', () => {
  it('refuses to send an empty canvas and points at the alert', async () => {
    const { server, store, revealed } = setup();
    await store.predict();
    expect(store.problem()).toMatch(/empty/i);
    expect(revealed).toEqual(['alert']);
    expect(server.sentTo('predict')).toHaveLength(0);
  });

  it('predicts the drawing, shows the reading and refreshes history and stats', async () => {
    const { server, store, revealed, draw } = setup(7);
    draw();
    await store.predict();
    const pixels = (server.sentTo('predict')[0]!.body as { pixels: number[] }).pixels;
    expect(pixels).toHaveLength(784);
    expect(store.result()).toMatchObject({
      readings: [{ id: 'p1', digit: 7, confidence: 0.91, isDigit: true }],
      model: { name: 'cnn', version: '1' },
    });
    expect(Array.from(store.result()!.pixels!)).toEqual(pixels);
    expect(revealed).toEqual(['result']);
    await settle();
    expect(store.history.data()?.items.map((item) => item.digit)).toEqual([7]);
    expect(store.stats.data()?.total).toBe(1);
  });

  it('a confirmation clears the drawing, thanks, and counts in the statistics', async () => {
    const { server, store, revealed, draw } = setup(7);
    draw();
    await store.predict();
    await store.answer('p1', 7);
    expect(server.sentTo('feedback')).toEqual([{ path: '/api/predictions/p1/feedback', body: { trueLabel: 7 } }]);
    expect(store.result()).toBeNull();
    expect(store.strokes()).toEqual([]);
    expect(store.notice()).toBe('Thanks: confirmed as 7. Draw the next digit.');
    expect(revealed).toEqual(['result', 'draw']);
    await settle();
    expect(store.stats.data()).toMatchObject({ labeled: 1, correct: 1, accuracy: 1 });
    expect(store.history.data()?.items[0]?.trueLabel).toBe(7);
  });

  it('a correction is thanked as one and shows as a mistake', async () => {
    const { store, draw } = setup(1);
    draw();
    await store.predict();
    await store.answer('p1', 7);
    expect(store.notice()).toBe('Thanks: corrected as 7. Draw the next digit.');
    await settle();
    expect(store.stats.data()).toMatchObject({ labeled: 1, correct: 0, accuracy: 0 });
    expect(store.stats.data()?.perDigit[7]).toMatchObject({ support: 1, recall: 0 });
  });

  it('ignores a second Predict while the first is on its way', async () => {
    const { server, store, draw } = setup();
    let release = () => {};
    server.hold.predict = new Promise<void>((resolve) => (release = resolve));
    draw();
    const first = store.predict();
    expect(store.busy()).toBe('predict');
    await store.predict();
    release();
    await first;
    expect(server.sentTo('predict')).toHaveLength(1);
    expect(store.busy()).toBe('');
  });

  it('keeps the drawing when predicting fails, and the result when the answer cannot be saved', async () => {
    const { server, store, draw } = setup();
    server.fail.predict = { status: 503, code: 'database-unavailable', message: 'The database is not answering.' };
    draw();
    await store.predict();
    expect(store.problem()).toBe('Prediction failed: The database is not answering.');
    expect(store.strokes()).toHaveLength(2);
    expect(store.result()).toBeNull();

    delete server.fail.predict;
    await store.predict();
    expect(store.problem()).toBe('');
    server.fail.feedback = { status: 404, code: 'not-found', message: 'No such prediction.' };
    await store.answer('p1', 3);
    expect(store.problem()).toBe('Saving your answer failed: No such prediction.');
    expect(store.result()?.readings[0]?.id).toBe('p1');
    expect(store.busy()).toBe('');
  });

  it('drops the result as soon as the drawing changes, and answers only a reading it shows', async () => {
    const { server, store, draw } = setup();
    draw();
    await store.predict();
    store.undo();
    expect(store.result()).toBeNull();
    expect(store.strokes()).toHaveLength(1);
    await store.answer('p1', 7);
    expect(server.sentTo('feedback')).toHaveLength(0);
    store.clear();
    expect(store.strokes()).toEqual([]);
  });

  it('a number: sent as its strokes in pixels of the wide pad, read digit by digit with their boxes', async () => {
    const { server, store, revealed } = setup(7, '42');
    store.switchMode('number');
    FORTY_TWO.forEach(store.addStroke);
    await store.predict();
    expect(server.sentTo('predict')).toHaveLength(0);
    const [sent] = server.sentTo('numbers');
    const { width, height } = PAD.number;
    expect(sent!.body).toMatchObject({ width, height, source: 'canvas' });
    const { strokes } = sent!.body as { strokes: { points: [number, number][]; pen: number }[] };
    expect(strokes).toHaveLength(FORTY_TWO.length);
    expect(strokes[0]!.pen).toBeCloseTo(FORTY_TWO[0]!.width * height, 1);
    expect(strokes[0]!.points[0]![0]).toBeCloseTo(FORTY_TWO[0]!.points[0]!.x * width, 1);
    expect(strokes[0]!.points[0]![1]).toBeCloseTo(FORTY_TWO[0]!.points[0]!.y * height, 1);
    const result = store.result()!;
    expect(result).toMatchObject({ kind: 'number', text: '42', pixels: null });
    expect(result.readings.map((r) => [r.id, r.digit, r.confidence])).toEqual([['p1', 4, 0.91], ['p2', 2, 0.81]]);
    // The least sure digit says how sure the number is.
    expect(result.confidence).toBe(0.81);
    // Boxes in unit coordinates of the pad: the four in its left half, the two in its right.
    const [four, two] = result.readings.map((r) => r.box!);
    expect(four!.x).toBeGreaterThan(0.05);
    expect(four!.x + four!.width).toBeLessThan(0.5);
    expect(two!.x).toBeGreaterThan(0.5);
    expect(two!.x + two!.width).toBeLessThan(0.95);
    expect(four!.y).toBeGreaterThan(0.05);
    expect(four!.y + four!.height).toBeLessThan(1);
    expect(revealed).toEqual(['result']);
  });

  it("a number's digits are answered one by one; the result stays until the last", async () => {
    const { server, store, revealed } = setup(7, '42');
    store.switchMode('number');
    FORTY_TWO.forEach(store.addStroke);
    await store.predict();
    await store.answer('p2', 3);
    expect(server.sentTo('feedback')).toEqual([{ path: '/api/predictions/p2/feedback', body: { trueLabel: 3 } }]);
    expect(store.answers()).toEqual({ p2: 3 });
    expect(store.result()?.text).toBe('42');
    expect(store.strokes()).toHaveLength(3);
    expect(store.notice()).toBe('');
    await store.answer('p1', 4);
    expect(store.result()).toBeNull();
    expect(store.notice()).toBe('Thanks: corrected as 43. Draw the next number.');
    expect(revealed).toEqual(['result', 'draw']);
    await settle();
    expect(store.stats.data()).toMatchObject({ labeled: 2, correct: 1 });
  });

  it('a whole number is confirmed or corrected at once, one label a digit', async () => {
    const { server, store } = setup(7, '42');
    store.switchMode('number');
    FORTY_TWO.forEach(store.addStroke);
    await store.predict();
    await store.answerAll([4]); // one label for two digits: nothing is sent
    expect(server.sentTo('feedback')).toHaveLength(0);
    await store.answerAll([4, 2]);
    expect(server.sentTo('feedback').map((f) => [f.path, f.body])).toEqual([
      ['/api/predictions/p1/feedback', { trueLabel: 4 }],
      ['/api/predictions/p2/feedback', { trueLabel: 2 }],
    ]);
    expect(store.notice()).toBe('Thanks: confirmed as 42. Draw the next number.');
  });

  it("keeps a number's result and what was saved when one digit's answer fails", async () => {
    const { server, store } = setup(7, '42');
    store.switchMode('number');
    FORTY_TWO.forEach(store.addStroke);
    await store.predict();
    // The second digit's row is out of reach for a moment: its feedback is answered 404.
    const second = server.rows.find((r) => r.id === 'p2')!;
    second.id = 'elsewhere';
    await store.answerAll([4, 2]);
    expect(store.problem()).toBe('Saving your answer failed: No such prediction.');
    expect(store.answers()).toEqual({ p1: 4 });
    expect(store.result()?.text).toBe('42');
    second.id = 'p2';
    await store.answer('p2', 2);
    expect(store.result()).toBeNull();
    expect(store.notice()).toBe('Thanks: confirmed as 42. Draw the next number.');
    expect(server.rows.map((r) => r.trueLabel)).toEqual([2, 4]);
  });

  it('an answer that lands after the drawing changed saves its label but leaves the new drawing alone', async () => {
    const { server, store, draw } = setup(7);
    draw();
    await store.predict();
    let release = () => {};
    server.hold.feedback = new Promise<void>((resolve) => (release = resolve));
    const answering = store.answer('p1', 7);
    store.addStroke(SEVEN[0]!);
    release();
    await answering;
    expect(server.rows[0]?.trueLabel).toBe(7);
    expect(store.strokes()).toHaveLength(3);
    expect(store.notice()).toBe('');
    expect(store.busy()).toBe('');
  });

  it('switching between a digit and a number starts a new drawing on the other pad', async () => {
    const { server, store, draw } = setup();
    expect(store.mode()).toBe('digit');
    draw();
    await store.predict();
    store.switchMode('number');
    expect(store.mode()).toBe('number');
    expect(store.strokes()).toEqual([]);
    expect(store.result()).toBeNull();
    await store.predict();
    expect(store.problem()).toMatch(/empty/i);
    expect(server.sentTo('numbers')).toHaveLength(0);
    store.addStroke({ points: [{ x: 0.5, y: 0.5 }], width: 0.001 }); // a speck, not a number
    await store.predict();
    expect(store.problem()).toMatch(/too little ink/i);
    expect(server.sentTo('numbers')).toHaveLength(0);
    store.switchMode('digit');
    draw();
    await store.predict();
    expect(server.sentTo('predict')).toHaveLength(2);
  });

  it('keeps the pen within its sizes', () => {
    const { store } = setup();
    store.setPen(1);
    expect(store.pen()).toBe(PEN_MIN);
    store.setPen(100);
    expect(store.pen()).toBe(PEN_MAX);
  });
});
