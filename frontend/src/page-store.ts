// The page's state and its one flow: draw -> predict -> confirm or correct -> history and stats
// refreshed. Components only render what is here and call its actions; nothing in this module
// touches the DOM, so the whole flow is testable with a fake API.
import { createSignal } from 'solid-js';
import { inkOf, refuseNearEmpty, toModelInput as defaultToModelInput } from '../../model/input-contract';
import { type ApiClient, errorMessage } from './api-client';
import type { ModelInfo, NumberAnswer, Prediction } from './api-types';
import { createLoader } from './loader';
import { encodePng as defaultEncodePng, RASTER_SIZE, type RasterImage, rasterizeStrokes as defaultRasterize } from './rasterize';
import type { Stroke } from './stroke-path';

export const HISTORY_LIMIT = 10;
const NO_CANVAS = 'This browser cannot read the drawing (no 2D canvas).';
/** Pen sizes in pixels of the 280-pixel reference height (MNIST-like strokes are about 20). */
export const PEN_MIN = 8;
export const PEN_MAX = 40;
export const PEN_DEFAULT = 20;

/** One digit a drawing, or a number: several digits written side by side. */
export type Mode = 'digit' | 'number';
/**
 * The pad's shape in each mode, as the picture that is rasterised: a digit's square, a number's
 * strip twice as wide (a digit in each half at the same pen size, four on a phone's width).
 */
export const PAD: Record<Mode, { width: number; height: number }> = {
  digit: { width: RASTER_SIZE, height: RASTER_SIZE },
  number: { width: 2 * RASTER_SIZE, height: RASTER_SIZE },
};

/** A part of the pad in unit coordinates (0..1 of its width and height). */
export type Box = { x: number; y: number; width: number; height: number };
/** One digit the server read, answered by its id; a number's digits say where they are on the pad. */
export type Reading = Omit<Prediction, 'model'> & { box?: Box };
/**
 * What the server read in one drawing: its digits in reading order (one for POST /api/predict),
 * the model that read them and, for one digit, the 28x28 picture that was sent.
 */
export type Result = {
  kind: Mode;
  /** The digits read, in order: "7", "2026". */
  text: string;
  /** How sure the reading is: for a number, the confidence of its least sure digit. */
  confidence: number;
  readings: Reading[];
  model: ModelInfo;
  /** The 28x28 picture a digit is sent as; null for a number, which is sent as a picture of the pad. */
  pixels: Float32Array | null;
};
export type Busy = '' | 'predict' | 'feedback';
/** The parts of the page a step brings into view (a phone shows one at a time). */
export type Place = 'draw' | 'result' | 'alert';

export type PageStoreDeps = {
  api: ApiClient;
  /** Turns strokes into pixels; replaceable where there is no 2D canvas (jsdom). */
  rasterize?: typeof defaultRasterize;
  /** Turns the pixels of a number into the PNG that is sent; replaceable like `rasterize`. */
  encodePng?: typeof defaultEncodePng;
  toModelInput?: typeof defaultToModelInput;
  /** Called when a step's outcome is somewhere the person should look next. */
  reveal?: (place: Place) => void;
};

const fromPrediction = ({ model, ...reading }: Prediction, pixels: Float32Array): Result => ({
  kind: 'digit',
  text: String(reading.digit),
  confidence: reading.confidence,
  readings: [reading],
  model,
  pixels,
});

/** The server's boxes are in the picture's pixels; the page draws them over a pad of any size. */
const fromNumber = ({ text, digits, model }: NumberAnswer, size: { width: number; height: number }): Result => ({
  kind: 'number',
  text,
  confidence: Math.min(...digits.map((d) => d.confidence)),
  readings: digits.map(({ box, ...reading }) => ({
    ...reading,
    box: { x: box.x / size.width, y: box.y / size.height, width: box.width / size.width, height: box.height / size.height },
  })),
  model,
  pixels: null,
});

export function createPageStore(deps: PageStoreDeps) {
  const rasterize = deps.rasterize ?? defaultRasterize;
  const encodePng = deps.encodePng ?? defaultEncodePng;
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

  /** A number's drawing as the picture that is sent, or null after saying why there is none. */
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

  const readNumber = async (image: RasterImage): Promise<Result> => {
    const png = await encodePng(image);
    if (!png) throw new Error(NO_CANVAS);
    return fromNumber(await deps.api.readNumber(png), image);
  };

  const predict = async () => {
    if (busy()) return;
    setProblem('');
    setNotice('');
    let reading: () => Promise<Result>;
    if (mode() === 'number') {
      const image = numberImage();
      if (!image) return;
      reading = () => readNumber(image);
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
