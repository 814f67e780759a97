import { createRoot } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from './api-client';
import { createPageStore, PEN_MAX, PEN_MIN, type Place } from './page-store';
import type { Stroke } from './stroke-path';
import { createFakeServer } from './testing/fake-server';
import { stampRasterize } from './testing/stamp-rasterize';

// A seven in two strokes, in the pad's unit coordinates.
const SEVEN: Stroke[] = [
  { points: [{ x: 0.2, y: 0.2 }, { x: 0.5, y: 0.2 }, { x: 0.8, y: 0.2 }], width: 20 / 280 },
  { points: [{ x: 0.8, y: 0.2 }, { x: 0.65, y: 0.5 }, { x: 0.55, y: 0.82 }], width: 20 / 280 },
];

let dispose = () => {};
afterEach(() => dispose());

function setup(answer = 7) {
  const server = createFakeServer(answer);
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
    expect(Array.from(store.result()!.pixels)).toEqual(pixels);
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

  it('keeps the pen within its sizes', () => {
    const { store } = setup();
    store.setPen(1);
    expect(store.pen()).toBe(PEN_MIN);
    store.setPen(100);
    expect(store.pen()).toBe(PEN_MAX);
  });
});
