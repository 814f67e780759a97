import { fireEvent, render, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ApiClient, ApiError, type HistoryItem, type Prediction } from './api-client';
import { App } from './app';
import type { RasterImage } from './rasterize';
import type { Stroke } from './stroke-path';
import { drawStroke, installPointerEvent, setBox } from './testing/recording-context';

// jsdom cannot paint, so strokes are rasterised here by stamping discs along them; the real input
// contract (model/input-contract.ts) then turns that picture into the 784 pixels that are sent.
function stampRasterize(strokes: readonly Stroke[], size = 140): RasterImage {
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  const stamp = (cx: number, cy: number, r: number) => {
    for (let y = Math.floor(cy - r); y <= cy + r; y++)
      for (let x = Math.floor(cx - r); x <= cx + r; x++)
        if (x >= 0 && y >= 0 && x < size && y < size && (x - cx) ** 2 + (y - cy) ** 2 <= r * r)
          data.fill(30, 4 * (y * size + x), 4 * (y * size + x) + 3);
  };
  for (const { points, width } of strokes)
    points.forEach((p, i) => {
      const q = points[i + 1] ?? p;
      for (let t = 0; t <= 1; t += 0.1)
        stamp((p.x + (q.x - p.x) * t) * size, (p.y + (q.y - p.y) * t) * size, (width * size) / 2);
    });
  return { data, width: size, height: size };
}

/** An in-memory API with the contract's shapes; failures can be switched on per call. */
function fakeApi(answer = 7) {
  const rows: HistoryItem[] = [];
  const fail: Partial<Record<'predict' | 'feedback' | 'history' | 'stats', ApiError>> = {};
  const sent: number[][] = [];
  const api: ApiClient = {
    predict: vi.fn(async (pixels: ArrayLike<number>) => {
      if (fail.predict) throw fail.predict;
      sent.push(Array.from(pixels));
      const probabilities = Array.from({ length: 10 }, (_, d) => (d === answer ? 0.91 : 0.01));
      const p: Prediction = { id: `p${rows.length + 1}`, digit: answer, confidence: 0.91, probabilities, isDigit: true, model: { name: 'cnn', version: '1' } };
      rows.unshift({ id: p.id, createdAt: new Date().toISOString(), digit: answer, confidence: 0.91, trueLabel: null, modelVersion: '1' });
      return p;
    }),
    sendFeedback: vi.fn(async (id: string, trueLabel: number) => {
      if (fail.feedback) throw fail.feedback;
      const row = rows.find((r) => r.id === id)!;
      row.trueLabel = trueLabel;
      return row;
    }),
    history: vi.fn(async () => {
      if (fail.history) throw fail.history;
      return { items: rows.map((r) => ({ ...r })), nextCursor: null };
    }),
    stats: vi.fn(async () => {
      if (fail.stats) throw fail.stats;
      const confusionMatrix = Array.from({ length: 10 }, () => Array(10).fill(0));
      for (const r of rows) if (r.trueLabel !== null) confusionMatrix[r.trueLabel][r.digit]++;
      const labeled = rows.filter((r) => r.trueLabel !== null);
      const correct = labeled.filter((r) => r.trueLabel === r.digit).length;
      return { total: rows.length, labeled: labeled.length, correct, accuracy: labeled.length ? correct / labeled.length : null, confusionMatrix };
    }),
  };
  return { api, rows, fail, sent };
}

beforeEach(() => installPointerEvent());
afterEach(() => vi.unstubAllGlobals());

function setup(answer = 7, rasterize = stampRasterize) {
  const fake = fakeApi(answer);
  const view = render(() => <App api={fake.api} rasterize={rasterize} />);
  const canvas = view.getByTestId('digit-canvas');
  setBox(canvas, 0, 0, 280);
  const drawSeven = () => {
    drawStroke(canvas, [[60, 50], [140, 50], [220, 52]]);
    drawStroke(canvas, [[220, 52], [180, 140], [150, 230]]);
  };
  const alert = () => view.container.querySelector('.result [role="alert"]')!.textContent;
  return { ...fake, view, canvas, drawSeven, alert, q: (id: string) => view.queryByTestId(id) };
}

describe('App', () => {
  it('shows a message and sends nothing when the canvas is empty', async () => {
    const { view, api, alert } = setup();
    fireEvent.click(view.getByTestId('predict'));
    expect(alert()).toMatch(/empty/i);
    expect(api.predict).not.toHaveBeenCalled();
  });

  it('sends the drawing as 784 pixels and shows digit, confidence and bars', async () => {
    const { view, drawSeven, sent, q } = setup(7);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')?.textContent).toBe('7'));
    expect(q('confidence')?.textContent).toBe('91.0%');
    // Screen readers hear the answer without hunting for it.
    expect(view.container.querySelector('[aria-live="polite"]')?.textContent).toBe('Prediction: 7, 91.0% sure.');
    expect(sent[0]).toHaveLength(784);
    expect(Math.max(...sent[0])).toBeCloseTo(1, 1);
    expect(sent[0].filter((v) => v > 0).length).toBeGreaterThan(30);
    // the input contract puts the ink inside the 28x28 with a black border, like MNIST
    expect(sent[0].slice(0, 28).every((v) => v === 0)).toBe(true);
    await waitFor(() => expect(q('history')?.querySelectorAll('tbody tr[data-id]')).toHaveLength(1));
  });

  it('Correct sends the predicted digit, then clears the canvas and resets for the next digit', async () => {
    const { view, drawSeven, api, q } = setup(7);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')).not.toBeNull());
    fireEvent.click(view.getByTestId('feedback-correct'));
    await waitFor(() => expect(q('prediction')).toBeNull());
    expect(api.sendFeedback).toHaveBeenCalledWith('p1', 7);
    expect(view.getByRole('button', { name: 'Undo' })).toHaveProperty('disabled', true);
    expect(view.getByText('Draw here')).toBeTruthy();
    expect(view.getByRole('status').textContent).toMatch(/confirmed as 7/);
    await waitFor(() => expect(q('history')?.querySelector('tbody tr td:nth-child(4)')?.textContent).toMatch(/^7/));
    await waitFor(() => expect(q('accuracy')?.textContent).toBe('100.0%'));
  });

  it('a correction sends the typed digit and resets the input', async () => {
    const { view, drawSeven, api, q } = setup(1);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')?.textContent).toBe('1'));
    const input = view.getByTestId('feedback-label') as HTMLInputElement;
    fireEvent.input(input, { target: { value: '7' } });
    fireEvent.click(view.getByTestId('feedback-submit'));
    await waitFor(() => expect(api.sendFeedback).toHaveBeenCalledWith('p1', 7));
    await waitFor(() => expect(q('prediction')).toBeNull());
    expect(input.value).toBe('');
    await waitFor(() => expect(q('history')?.querySelector('tbody tr')?.classList.contains('wrong')).toBe(true));
  });

  it('shows API errors in the alert next to the prediction and keeps the drawing', async () => {
    const { view, drawSeven, fail, alert, q } = setup();
    fail.predict = new ApiError('db_unavailable', 'The database is not answering.', 503);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(alert()).toBe('Prediction failed: The database is not answering.'));
    expect(q('prediction')).toBeNull();
    expect(view.getByRole('button', { name: 'Undo' })).toHaveProperty('disabled', false);

    delete fail.predict;
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')).not.toBeNull());
    expect(alert()).toBe('');
    fail.feedback = new ApiError('not_found', 'No such prediction.', 404);
    fireEvent.click(view.getByTestId('feedback-correct'));
    await waitFor(() => expect(alert()).toMatch(/Saving your answer failed: No such prediction/));
    expect(q('prediction')).not.toBeNull();
  });

  it('reports an unreadable drawing from the input contract without sending it', async () => {
    const blank = () => ({ data: new Uint8ClampedArray(28 * 28 * 4).fill(255), width: 28, height: 28 });
    const { view, drawSeven, api, alert } = setup(7, blank);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    expect(alert()).toMatch(/empty/i);
    expect(api.predict).not.toHaveBeenCalled();
  });

  it('shows history and stats load failures in their sections', async () => {
    const fake = fakeApi();
    fake.fail.history = new ApiError('db', 'connection refused', 503);
    fake.fail.stats = new ApiError('db', 'connection refused', 503);
    const view = render(() => <App api={fake.api} rasterize={stampRasterize} />);
    await waitFor(() => expect(view.getByText(/could not load the history: connection refused/i)).toBeTruthy());
    expect(view.getByText(/could not load the statistics/i).getAttribute('role')).toBe('alert');
  });

  it('supports Ctrl+Z to undo, Enter to predict and Escape to clear', async () => {
    const { view, canvas, drawSeven, api, q } = setup();
    drawSeven();
    const undo = view.getByRole('button', { name: 'Undo' });
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    expect(undo).toHaveProperty('disabled', false); // one stroke left
    fireEvent.keyDown(view.getByLabelText('Pen size'), { key: 'z', ctrlKey: true }); // a slider has no undo of its own
    expect(undo).toHaveProperty('disabled', true);
    drawSeven();
    fireEvent.keyDown(document.body, { key: 'Enter' });
    await waitFor(() => expect(q('prediction')).not.toBeNull());
    expect(api.predict).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(q('prediction')).toBeNull();
    expect(undo).toHaveProperty('disabled', true);
    // Keys typed into the correction field stay there.
    drawStroke(canvas, [[100, 40], [100, 240]]);
    fireEvent.keyDown(view.getByTestId('feedback-label'), { key: 'Enter' });
    expect(api.predict).toHaveBeenCalledTimes(1);
  });

  it('labels every control for screen readers', () => {
    const { view } = setup();
    expect(view.getByLabelText('Pen size')).toBeTruthy();
    expect(view.getByRole('img', { name: /drawing area/i })).toBe(view.getByTestId('digit-canvas'));
    for (const name of ['Undo', 'Clear', 'Predict', 'Correct', 'Submit correction'])
      expect(view.getByRole('button', { name })).toBeTruthy();
  });
});
