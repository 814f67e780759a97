import { fireEvent, render, waitFor } from '@solidjs/testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from './api-client';
import { App } from './app';
import { createFakeServer } from './testing/fake-server';
import { drawStroke, installPointerEvent, setBox } from './testing/recording-context';
import { stampRasterize } from './testing/stamp-rasterize';

const pixelsSent = (server: ReturnType<typeof createFakeServer>) =>
  server.sentTo('predict').map((r) => (r.body as { pixels: number[] }).pixels);

beforeEach(() => installPointerEvent());
afterEach(() => vi.unstubAllGlobals());

function setup(answer = 7, rasterize = stampRasterize, digits?: string) {
  const server = createFakeServer(answer, digits);
  const view = render(() => <App api={createApiClient(server.fetch)} rasterize={rasterize} />);
  const canvas = view.getByTestId('digit-canvas');
  setBox(canvas, 0, 0, 280);
  const drawSeven = () => {
    drawStroke(canvas, [[60, 50], [140, 50], [220, 52]]);
    drawStroke(canvas, [[220, 52], [180, 140], [150, 230]]);
  };
  const alert = () => view.container.querySelector('.result [role="alert"]')!.textContent;
  return { server, view, canvas, drawSeven, alert, q: (id: string) => view.queryByTestId(id) };
}

describe('App', () => {
  it('shows a message and sends nothing when the canvas is empty', async () => {
    const { view, server, alert } = setup();
    fireEvent.click(view.getByTestId('predict'));
    expect(alert()).toMatch(/empty/i);
    expect(server.sentTo('predict')).toHaveLength(0);
  });

  it('sends the drawing as 784 pixels and shows digit, confidence and bars', async () => {
    const { view, drawSeven, server, q } = setup(7);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')?.textContent).toBe('7'));
    expect(q('confidence')?.textContent).toBe('91.0%');
    // Screen readers hear the answer without hunting for it.
    expect(view.container.querySelector('[aria-live="polite"]')?.textContent).toBe('Prediction: 7, 91.0% sure.');
    const sent = pixelsSent(server);
    expect(sent[0]).toHaveLength(784);
    expect(Math.max(...sent[0])).toBeCloseTo(1, 1);
    expect(sent[0].filter((v) => v > 0).length).toBeGreaterThan(30);
    // the input contract puts the ink inside the 28x28 with a black border, like MNIST
    expect(sent[0].slice(0, 28).every((v) => v === 0)).toBe(true);
    // One row a prediction; the history's rows carry no ids, which belong to whoever made them.
    await waitFor(() => expect(q('history')?.querySelectorAll('tbody tr time')).toHaveLength(1));
  });

  it('Correct sends the predicted digit, then clears the canvas and resets for the next digit', async () => {
    const { view, drawSeven, server, q } = setup(7);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')).not.toBeNull());
    fireEvent.click(view.getByTestId('feedback-correct'));
    await waitFor(() => expect(q('prediction')).toBeNull());
    expect(server.sentTo('feedback')).toEqual([{ path: '/api/predictions/p1/feedback', body: { trueLabel: 7 } }]);
    expect(view.getByRole('button', { name: 'Undo' })).toHaveProperty('disabled', true);
    expect(view.getByText('Draw here')).toBeTruthy();
    expect(view.getByRole('status').textContent).toMatch(/confirmed as 7/);
    await waitFor(() => expect(q('history')?.querySelector('tbody tr td:nth-child(4)')?.textContent).toMatch(/^7/));
    await waitFor(() => expect(q('accuracy')?.textContent).toBe('100.0%'));
  });

  it('a correction sends the typed digit and resets the input', async () => {
    const { view, drawSeven, server, q } = setup(1);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')?.textContent).toBe('1'));
    const input = view.getByTestId('feedback-label') as HTMLInputElement;
    fireEvent.input(input, { target: { value: '7' } });
    fireEvent.click(view.getByTestId('feedback-submit'));
    await waitFor(() =>
      expect(server.sentTo('feedback')).toEqual([{ path: '/api/predictions/p1/feedback', body: { trueLabel: 7 } }]),
    );
    await waitFor(() => expect(q('prediction')).toBeNull());
    expect(input.value).toBe('');
    await waitFor(() => expect(q('history')?.querySelector('tbody tr')?.classList.contains('wrong')).toBe(true));
  });

  it('shows API errors in the alert next to the prediction and keeps the drawing', async () => {
    const { view, drawSeven, server, alert, q } = setup();
    server.fail.predict = { status: 503, code: 'db_unavailable', message: 'The database is not answering.' };
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(alert()).toBe('Prediction failed: The database is not answering.'));
    expect(q('prediction')).toBeNull();
    expect(view.getByRole('button', { name: 'Undo' })).toHaveProperty('disabled', false);

    delete server.fail.predict;
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')).not.toBeNull());
    expect(alert()).toBe('');
    server.fail.feedback = { status: 404, code: 'not_found', message: 'No such prediction.' };
    fireEvent.click(view.getByTestId('feedback-correct'));
    await waitFor(() => expect(alert()).toMatch(/Saving your answer failed: No such prediction/));
    expect(q('prediction')).not.toBeNull();
  });

  it('reports an unreadable drawing from the input contract without sending it', async () => {
    const blank = () => ({ data: new Uint8ClampedArray(28 * 28 * 4).fill(255), width: 28, height: 28 });
    const { view, drawSeven, server, alert } = setup(7, blank);
    drawSeven();
    fireEvent.click(view.getByTestId('predict'));
    expect(alert()).toMatch(/empty/i);
    expect(server.sentTo('predict')).toHaveLength(0);
  });

  it('shows history and stats load failures in their sections', async () => {
    const server = createFakeServer();
    server.fail.history = { status: 503, code: 'db', message: 'connection refused' };
    server.fail.stats = { status: 503, code: 'db', message: 'connection refused' };
    const view = render(() => <App api={createApiClient(server.fetch)} rasterize={stampRasterize} />);
    await waitFor(() => expect(view.getByText(/could not load the history: connection refused/i)).toBeTruthy());
    expect(view.getByText(/could not load the statistics/i).getAttribute('role')).toBe('alert');
  });

  it('supports Ctrl+Z to undo, Enter to predict and Escape to clear', async () => {
    const { view, canvas, drawSeven, server, q } = setup();
    drawSeven();
    const undo = view.getByRole('button', { name: 'Undo' });
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    expect(undo).toHaveProperty('disabled', false); // one stroke left
    fireEvent.keyDown(view.getByLabelText('Pen size'), { key: 'z', ctrlKey: true }); // a slider has no undo of its own
    expect(undo).toHaveProperty('disabled', true);
    drawSeven();
    fireEvent.keyDown(document.body, { key: 'Enter' });
    await waitFor(() => expect(q('prediction')).not.toBeNull());
    expect(server.sentTo('predict')).toHaveLength(1);
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(q('prediction')).toBeNull();
    expect(undo).toHaveProperty('disabled', true);
    // Keys typed into the correction field stay there.
    drawStroke(canvas, [[100, 40], [100, 240]]);
    fireEvent.keyDown(view.getByTestId('feedback-label'), { key: 'Enter' });
    expect(server.sentTo('predict')).toHaveLength(1);
  });

  it('Number: a wide pad, the number with a box and a correction per digit', async () => {
    const { view, canvas, server, q } = setup(7, stampRasterize, '42');
    expect(q('mode-digit')?.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(view.getByTestId('mode-number'));
    expect(q('mode-number')?.getAttribute('aria-pressed')).toBe('true');
    expect(canvas.getAttribute('aria-label')).toMatch(/write a number/i);
    expect(view.getByText('Write the digits side by side')).toBeTruthy();
    setBox(canvas, 0, 0, 560, 280);
    // A four in the left half, a two in the right.
    drawStroke(canvas, [[80, 40], [70, 160], [200, 160]]);
    drawStroke(canvas, [[170, 40], [170, 250]]);
    drawStroke(canvas, [[360, 80], [420, 40], [480, 80], [360, 240], [490, 240]]);
    fireEvent.click(view.getByTestId('predict'));
    await waitFor(() => expect(q('prediction')?.textContent).toBe('42'));
    expect(server.sentTo('predict')).toHaveLength(0);
    expect(q('confidence')?.textContent).toBe('81.0%');
    expect(q('digit-confidence-0')?.textContent).toBe('91.0%');
    const left = (i: number) => parseFloat((q(`digit-box-${i}`) as HTMLElement).style.left);
    expect(left(0)).toBeLessThan(50);
    expect(left(1)).toBeGreaterThan(50);

    fireEvent.click(view.getByTestId('digit-feedback-correct-0'));
    await waitFor(() => expect(q('digit-saved-0')?.textContent).toBe('Saved as 4'));
    expect(q('digit-box-0')?.classList.contains('answered')).toBe(true);
    expect(q('prediction')?.textContent).toBe('42');
    fireEvent.input(view.getByTestId('digit-feedback-label-1'), { target: { value: '3' } });
    fireEvent.click(view.getByTestId('digit-feedback-submit-1'));
    await waitFor(() => expect(q('prediction')).toBeNull());
    expect(server.sentTo('feedback')).toEqual([
      { path: '/api/predictions/p1/feedback', body: { trueLabel: 4 } },
      { path: '/api/predictions/p2/feedback', body: { trueLabel: 3 } },
    ]);
    expect(view.getByRole('status').textContent).toBe('Thanks: corrected as 43. Draw the next number.');
    expect(q('digit-box-0')).toBeNull();

    fireEvent.click(view.getByTestId('mode-digit'));
    expect(canvas.getAttribute('aria-label')).toMatch(/draw one digit/i);
  });

  it('labels every control for screen readers', () => {
    const { view } = setup();
    expect(view.getByLabelText('Pen size')).toBeTruthy();
    expect(view.getByRole('img', { name: /drawing area/i })).toBe(view.getByTestId('digit-canvas'));
    for (const name of ['Undo', 'Clear', 'Predict', 'Correct', 'Submit correction'])
      expect(view.getByRole('button', { name })).toBeTruthy();
  });
});
