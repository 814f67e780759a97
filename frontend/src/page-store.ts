// The page's state and its one flow: draw -> predict -> confirm or correct -> history and stats
// refreshed. Components only render what is here and call its actions; nothing in this module
// touches the DOM, so the whole flow is testable with a fake API.
import { createSignal } from 'solid-js';
import { toModelInput as defaultToModelInput } from '../../model/input-contract';
import { type ApiClient, errorMessage } from './api-client';
import type { ModelInfo, Prediction } from './api-types';
import { createLoader } from './loader';
import { rasterizeStrokes as defaultRasterize } from './rasterize';
import type { Stroke } from './stroke-path';

export const HISTORY_LIMIT = 10;
/** Pen sizes in pixels of the 280-pixel reference square (MNIST-like strokes are about 20). */
export const PEN_MIN = 8;
export const PEN_MAX = 40;
export const PEN_DEFAULT = 20;

/** One digit the server read, answered by its id. */
export type Reading = Omit<Prediction, 'model'>;
/**
 * What the server read in one drawing: its digits in reading order (one for POST /api/predict),
 * the model that read them and the 28x28 picture that was sent.
 */
export type Result = { readings: Reading[]; model: ModelInfo; pixels: Float32Array };
export type Busy = '' | 'predict' | 'feedback';
/** The parts of the page a step brings into view (a phone shows one at a time). */
export type Place = 'draw' | 'result' | 'alert';

export type PageStoreDeps = {
  api: ApiClient;
  /** Turns strokes into pixels; replaceable where there is no 2D canvas (jsdom). */
  rasterize?: typeof defaultRasterize;
  toModelInput?: typeof defaultToModelInput;
  /** Called when a step's outcome is somewhere the person should look next. */
  reveal?: (place: Place) => void;
};

const fromPrediction = ({ model, ...reading }: Prediction, pixels: Float32Array): Result => ({
  readings: [reading],
  model,
  pixels,
});

export function createPageStore(deps: PageStoreDeps) {
  const rasterize = deps.rasterize ?? defaultRasterize;
  const toModelInput = deps.toModelInput ?? defaultToModelInput;
  const reveal = deps.reveal ?? (() => {});

  const [strokes, setStrokes] = createSignal<Stroke[]>([]);
  const [pen, setPen] = createSignal(PEN_DEFAULT);
  const [result, setResult] = createSignal<Result | null>(null);
  const [busy, setBusy] = createSignal<Busy>('');
  const [problem, setProblem] = createSignal('');
  const [notice, setNotice] = createSignal('');

  const history = createLoader(() => deps.api.history(HISTORY_LIMIT));
  const stats = createLoader(() => deps.api.stats());
  const refresh = () => Promise.all([history.reload(), stats.reload()]).then(() => {});

  const showProblem = (message: string) => {
    setProblem(message);
    reveal('alert');
  };

  // A result is about one drawing: once the drawing changes it no longer applies.
  const changeDrawing = (next: Stroke[]) => {
    setStrokes(next);
    setResult(null);
    setProblem('');
    setNotice('');
  };
  const addStroke = (stroke: Stroke) => changeDrawing([...strokes(), stroke]);
  const undo = () => {
    if (strokes().length > 0) changeDrawing(strokes().slice(0, -1));
  };
  const clear = () => changeDrawing([]);

  /** The drawing as the model's input, or null after saying why there is none. */
  const modelInput = (): Float32Array | null => {
    if (strokes().length === 0) {
      showProblem('The canvas is empty: draw a digit first.');
      return null;
    }
    try {
      const image = rasterize(strokes());
      if (!image) throw new Error('This browser cannot read the drawing (no 2D canvas).');
      const input = toModelInput(image);
      if (input.ok) return input.pixels;
      showProblem(input.message);
    } catch (err) {
      showProblem(errorMessage(err));
    }
    return null;
  };

  const predict = async () => {
    if (busy()) return;
    setProblem('');
    setNotice('');
    const pixels = modelInput();
    if (!pixels) return;
    setBusy('predict');
    try {
      setResult(fromPrediction(await deps.api.predict(pixels), pixels));
      reveal('result');
      void refresh();
    } catch (err) {
      showProblem(`Prediction failed: ${errorMessage(err)}`);
    } finally {
      setBusy('');
    }
  };

  /** Confirms or corrects a reading of the result shown; then the page is ready for the next drawing. */
  const answer = async (id: string, trueLabel: number) => {
    const reading = result()?.readings.find((r) => r.id === id);
    if (!reading || busy()) return;
    setBusy('feedback');
    setProblem('');
    try {
      await deps.api.sendFeedback(id, trueLabel);
      const verdict = trueLabel === reading.digit ? 'confirmed' : 'corrected';
      changeDrawing([]);
      setNotice(`Thanks: ${verdict} as ${trueLabel}. Draw the next digit.`);
      reveal('draw');
      void refresh();
    } catch (err) {
      showProblem(`Saving your answer failed: ${errorMessage(err)}`);
    } finally {
      setBusy('');
    }
  };

  return {
    strokes,
    pen,
    result,
    busy,
    problem,
    notice,
    history,
    stats,
    setPen: (size: number) => setPen(Math.min(PEN_MAX, Math.max(PEN_MIN, size))),
    addStroke,
    undo,
    clear,
    predict,
    answer,
    refresh,
  };
}

export type PageStore = ReturnType<typeof createPageStore>;
