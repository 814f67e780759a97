// The page's state and its one flow: draw -> predict -> confirm or correct -> history and stats
// refreshed. Components only render what is here and call its actions; nothing in this module
// touches the DOM, so the whole flow is testable with a fake API.
import { createSignal } from 'solid-js';
import { inkOf, refuseNearEmpty, toModelInput as defaultToModelInput } from '../../model/input-contract';
import { type ApiClient, errorMessage } from './api-client';
import { createLoader } from './loader';
import { fromNumber, fromPrediction, PAD, type Mode, type Result } from './reading';
import { type RasterImage, rasterizeStrokes as defaultRasterize } from './rasterize';
import { strokesInPixels, type Stroke } from './stroke-path';

export const HISTORY_LIMIT = 10;
const NO_CANVAS = 'This browser cannot read the drawing (no 2D canvas).';
/** Pen sizes in pixels of the 280-pixel reference height (MNIST-like strokes are about 20). */
export const PEN_MIN = 8;
export const PEN_MAX = 40;
export const PEN_DEFAULT = 20;

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

export function createPageStore(deps: PageStoreDeps) {
  const rasterize = deps.rasterize ?? defaultRasterize;
  const toModelInput = deps.toModelInput ?? defaultToModelInput;
  const reveal = deps.reveal ?? (() => {});

  const [mode, setMode] = createSignal<Mode>('digit');
  const [strokes, setStrokes] = createSignal<Stroke[]>([]);
  const [pen, setPen] = createSignal(PEN_DEFAULT);
  const [result, setResult] = createSignal<Result | null>(null);
  /** The true labels saved so far for the result shown, by reading id. */
  const [answers, setAnswers] = createSignal<Readonly<Record<string, number>>>({});
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
    setAnswers({});
    setProblem('');
    setNotice('');
  };
  const addStroke = (stroke: Stroke) => changeDrawing([...strokes(), stroke]);
  const undo = () => {
    if (strokes().length > 0) changeDrawing(strokes().slice(0, -1));
  };
  const clear = () => changeDrawing([]);
  /** Strokes placed on one pad's shape do not fit the other's, so switching starts a new drawing. */
  const switchMode = (next: Mode) => {
    if (next === mode() || busy()) return;
    setMode(next);
    changeDrawing([]);
  };

  /** The drawing as the model's input, or null after saying why there is none. */
  const modelInput = (): Float32Array | null => {
    if (strokes().length === 0) {
      showProblem('The canvas is empty: draw a digit first.');
      return null;
    }
    try {
      const image = rasterize(strokes());
      if (!image) throw new Error(NO_CANVAS);
      const input = toModelInput(image);
      if (input.ok) return input.pixels;
      showProblem(input.message);
    } catch (err) {
      showProblem(errorMessage(err));
    }
    return null;
  };

  /** A number's drawing as a picture (to check it holds ink before sending its strokes), or null after saying why there is none. */
  const numberImage = (): RasterImage | null => {
    if (strokes().length === 0) {
      showProblem('The canvas is empty: write a number first.');
      return null;
    }
    try {
      const image = rasterize(strokes(), PAD.number.width, PAD.number.height);
      if (!image) throw new Error(NO_CANVAS);
      // The server's near-empty rule, checked before anything is sent.
      const refusal = refuseNearEmpty(inkOf(image));
      if (!refusal) return image;
      showProblem(refusal.message);
    } catch (err) {
      showProblem(errorMessage(err));
    }
    return null;
  };

  const readNumber = async (drawn: readonly Stroke[], image: RasterImage): Promise<Result> =>
    fromNumber(await deps.api.readNumber(strokesInPixels(drawn, image.width, image.height)), image);

  const predict = async () => {
    if (busy()) return;
    setProblem('');
    setNotice('');
    let reading: () => Promise<Result>;
    if (mode() === 'number') {
      const image = numberImage();
      if (!image) return;
      const drawn = strokes();
      reading = () => readNumber(drawn, image);
    } else {
      const pixels = modelInput();
      if (!pixels) return;
      reading = async () => fromPrediction(await deps.api.predict(pixels), pixels);
    }
    setBusy('predict');
    try {
      const next = await reading();
      setAnswers({});
      setResult(next);
      reveal('result');
      void refresh();
    } catch (err) {
      showProblem(`Prediction failed: ${errorMessage(err)}`);
    } finally {
      setBusy('');
    }
  };

  /**
   * Saves true labels for readings of the result shown, all at once. Once every reading has its
   * label the page thanks and is ready for the next drawing; until then the result stays, so a
   * number's other digits can still be answered.
   */
  const saveAnswers = async (labels: readonly (readonly [id: string, trueLabel: number])[]) => {
    const shown = result();
    if (!shown || busy() || labels.length === 0) return;
    if (!labels.every(([id]) => shown.readings.some((r) => r.id === id))) return;
    setBusy('feedback');
    setProblem('');
    try {
      const sent = await Promise.allSettled(labels.map(([id, label]) => deps.api.sendFeedback(id, label)));
      if (sent.some((s) => s.status === 'fulfilled')) void refresh();
      if (result() !== shown) return; // the drawing changed meanwhile: what was saved stays saved
      const saved = { ...answers() };
      labels.forEach(([id, label], i) => sent[i]!.status === 'fulfilled' && (saved[id] = label));
      setAnswers(saved);
      const failed = sent.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) showProblem(`Saving your answer failed: ${errorMessage(failed.reason)}`);
      else if (shown.readings.every((r) => r.id in saved)) {
        const verdict = shown.readings.every((r) => saved[r.id] === r.digit) ? 'confirmed' : 'corrected';
        const text = shown.readings.map((r) => saved[r.id]).join('');
        changeDrawing([]);
        setNotice(`Thanks: ${verdict} as ${text}. Draw the next ${shown.kind}.`);
        reveal('draw');
      }
    } finally {
      setBusy('');
    }
  };

  /** Confirms or corrects one reading of the result shown. */
  const answer = (id: string, trueLabel: number) => saveAnswers([[id, trueLabel]]);
  /** Confirms or corrects every reading at once: one true label a reading, in reading order. */
  const answerAll = (trueLabels: readonly number[]) => {
    const readings = result()?.readings ?? [];
    if (trueLabels.length !== readings.length) return Promise.resolve();
    const saved = answers();
    return saveAnswers(readings.flatMap((r, i) => (saved[r.id] === trueLabels[i] ? [] : [[r.id, trueLabels[i]!] as const])));
  };
  /** The result's digits as they stand: a saved label where one was given, else what was read. */
  const standing = () => result()?.readings.map((r) => answers()[r.id] ?? r.digit) ?? null;

  return {
    mode,
    strokes,
    pen,
    result,
    answers,
    standing,
    busy,
    problem,
    notice,
    history,
    stats,
    setPen: (size: number) => setPen(Math.min(PEN_MAX, Math.max(PEN_MIN, size))),
    addStroke,
    undo,
    clear,
    switchMode,
    predict,
    answer,
    answerAll,
    refresh,
  };
}

export type PageStore = ReturnType<typeof createPageStore>;
