import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { toModelInput as defaultToModelInput } from '../../model/input-contract';
import { type ApiClient, errorMessage, type Prediction } from './api-client';
import { DrawingCanvas } from './drawing-canvas';
import { FeedbackForm } from './feedback-form';
import { formatPercent } from './format';
import { HistoryTable } from './history-table';
import { createLoader } from './loader';
import { PredictionPanel } from './prediction-panel';
import { rasterizeStrokes as defaultRasterize, RASTER_SIZE } from './rasterize';
import { reveal } from './reveal';
import { StatsPanel } from './stats-panel';
import { normalizeStats } from './stats-model';
import type { Stroke } from './stroke-path';

export const HISTORY_LIMIT = 10;
/** Pen sizes in pixels of the 280-pixel reference square (MNIST-like strokes are about 20). */
const PEN_MIN = 8;
const PEN_MAX = 40;
const PEN_DEFAULT = 20;

type Props = {
  api: ApiClient;
  /** Turns strokes into pixels; replaceable where there is no 2D canvas (jsdom). */
  rasterize?: typeof defaultRasterize;
  toModelInput?: typeof defaultToModelInput;
};

type Result = { prediction: Prediction; pixels: Float32Array };

const NOT_TEXT = new Set(['range', 'checkbox', 'radio', 'button', 'submit', 'reset']);
/** Fields with keys of their own (typing, native undo); a slider or checkbox has none of these. */
const isTextField = (el: EventTarget | null) =>
  el instanceof HTMLElement &&
  (el.isContentEditable ||
    /^(TEXTAREA|SELECT)$/.test(el.tagName) ||
    (el instanceof HTMLInputElement && !NOT_TEXT.has(el.type)));

export function App(props: Props) {
  const rasterize = props.rasterize ?? defaultRasterize;
  const toModelInput = props.toModelInput ?? defaultToModelInput;

  const [strokes, setStrokes] = createSignal<Stroke[]>([]);
  const [pen, setPen] = createSignal(PEN_DEFAULT);
  const [result, setResult] = createSignal<Result | null>(null);
  const [busy, setBusy] = createSignal<'' | 'predict' | 'feedback'>('');
  const [problem, setProblem] = createSignal('');
  const [notice, setNotice] = createSignal('');

  let drawSection: HTMLElement | undefined;
  let resultSection: HTMLElement | undefined;
  let alertBox: HTMLDivElement | undefined;
  const showProblem = (message: string) => {
    setProblem(message);
    reveal(alertBox);
  };

  const history = createLoader(() => props.api.history(HISTORY_LIMIT));
  const stats = createLoader(() => props.api.stats().then(normalizeStats));
  const refresh = () => Promise.all([history.reload(), stats.reload()]);

  // A prediction is about one drawing: once the drawing changes it no longer applies.
  const changeDrawing = (next: Stroke[]) => {
    setStrokes(next);
    setResult(null);
    setProblem('');
    setNotice('');
  };
  const addStroke = (stroke: Stroke) => changeDrawing([...strokes(), stroke]);
  const undo = () => strokes().length > 0 && changeDrawing(strokes().slice(0, -1));
  const clear = () => changeDrawing([]);

  const predict = async () => {
    if (busy()) return;
    setProblem('');
    setNotice('');
    if (strokes().length === 0) {
      showProblem('The canvas is empty: draw a digit first.');
      return;
    }
    let pixels: Float32Array;
    try {
      const image = rasterize(strokes());
      if (!image) throw new Error('This browser cannot read the drawing (no 2D canvas).');
      const input = toModelInput(image);
      if (!input.ok) {
        showProblem(input.message);
        return;
      }
      pixels = input.pixels;
    } catch (err) {
      showProblem(errorMessage(err));
      return;
    }
    setBusy('predict');
    try {
      const prediction = await props.api.predict(pixels);
      setResult({ prediction, pixels });
      reveal(resultSection);
      void refresh();
    } catch (err) {
      showProblem(`Prediction failed: ${errorMessage(err)}`);
    } finally {
      setBusy('');
    }
  };

  const answer = async (trueLabel: number) => {
    const current = result();
    if (!current || busy()) return;
    setBusy('feedback');
    setProblem('');
    try {
      await props.api.sendFeedback(current.prediction.id, trueLabel);
      const verdict = trueLabel === current.prediction.digit ? 'confirmed' : 'corrected';
      changeDrawing([]);
      setNotice(`Thanks: ${verdict} as ${trueLabel}. Draw the next digit.`);
      reveal(drawSection);
      void refresh();
    } catch (err) {
      showProblem(`Saving your answer failed: ${errorMessage(err)}`);
    } finally {
      setBusy('');
    }
  };

  // Shortcuts: Enter predicts, Ctrl/Cmd+Z undoes, Escape clears. Text fields keep their own keys,
  // and Enter on a focused button still presses that button.
  const onKey = (e: KeyboardEvent) => {
    if (isTextField(e.target) || e.altKey) return;
    const onControl = e.target instanceof HTMLElement && /^(BUTTON|A)$/.test(e.target.tagName);
    if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z') {
      e.preventDefault();
      undo();
    } else if (e.key === 'Enter' && !onControl && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      void predict();
    } else if (e.key === 'Escape' && strokes().length > 0) {
      clear();
    }
  };
  onMount(() => {
    window.addEventListener('keydown', onKey);
    onCleanup(() => window.removeEventListener('keydown', onKey));
    void refresh();
  });

  return (
    <div class="page">
      <header class="top">
        <h1>Digit Recognizer</h1>
        <p class="lede">
          Draw a digit from 0 to 9. A small neural network reads it; tell it whether it got it right.
        </p>
      </header>

      <main class="layout">
        <section ref={drawSection} class="card draw" aria-labelledby="draw-heading">
          <h2 id="draw-heading">
            <span class="step">1</span> Draw
          </h2>
          <div class="pad-frame">
            <DrawingCanvas strokes={strokes()} strokeWidth={pen() / RASTER_SIZE} onStroke={addStroke} />
            <Show when={strokes().length === 0}>
              <span class="pad-hint" aria-hidden="true">
                Draw here
              </span>
            </Show>
          </div>
          <div class="pen">
            <label for="pen-size">Pen size</label>
            <input
              id="pen-size"
              type="range"
              min={PEN_MIN}
              max={PEN_MAX}
              step={2}
              value={pen()}
              aria-valuetext={`${pen()} pixels`}
              onInput={(e) => setPen(Number(e.currentTarget.value))}
            />
            <span
              class="pen-dot"
              aria-hidden="true"
              style={{ width: `${(pen() * 0.9).toFixed(0)}px`, height: `${(pen() * 0.9).toFixed(0)}px` }}
            />
          </div>
          <div class="actions">
            <button type="button" class="button" onClick={undo} disabled={strokes().length === 0} aria-keyshortcuts="Control+Z">
              Undo
            </button>
            <button type="button" class="button" data-testid="clear" onClick={clear} aria-keyshortcuts="Escape">
              Clear
            </button>
            <button
              type="button"
              class="button primary"
              data-testid="predict"
              onClick={() => void predict()}
              disabled={busy() !== ''}
              aria-keyshortcuts="Enter"
            >
              {busy() === 'predict' ? 'Reading…' : 'Predict'}
            </button>
          </div>
          <p class="muted small keys">
            Keys: <kbd>Enter</kbd> predict · <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo · <kbd>Esc</kbd> clear
          </p>
        </section>

        <section ref={resultSection} class="card result" aria-labelledby="result-heading" aria-busy={busy() !== ''}>
          <h2 id="result-heading">
            <span class="step">2</span> Prediction
          </h2>
          <div ref={alertBox} class="alert" role="alert">
            {problem()}
          </div>
          <div class="notice" role="status">
            {notice()}
          </div>
          <p class="visually-hidden" aria-live="polite">
            {result() ? `Prediction: ${result()!.prediction.digit}, ${formatPercent(result()!.prediction.confidence)} sure.` : ''}
          </p>
          <Show
            when={result()}
            fallback={
              <p class="placeholder">
                {busy() === 'predict' ? 'Reading your drawing…' : 'Draw a digit and press Predict.'}
              </p>
            }
          >
            {(r) => <PredictionPanel prediction={r().prediction} pixels={r().pixels} />}
          </Show>
          <h3 class="feedback-heading">
            <span class="step">3</span> Was it right?
          </h3>
          <FeedbackForm
            predictionId={result()?.prediction.id ?? null}
            predictedDigit={result()?.prediction.digit ?? null}
            busy={busy() !== ''}
            onAnswer={(label) => void answer(label)}
          />
        </section>

        <section class="card history-card" aria-labelledby="history-heading">
          <h2 id="history-heading">Recent predictions</h2>
          <Show when={history.error()}>
            <p class="alert inline" role="alert">
              Could not load the history: {history.error()}
            </p>
          </Show>
          <HistoryTable items={history.data()?.items ?? []} loading={history.loading() && !history.data()} />
        </section>

        <section class="card stats-card" aria-labelledby="stats-heading">
          <h2 id="stats-heading">How well it does</h2>
          <Show when={stats.error()}>
            <p class="alert inline" role="alert">
              Could not load the statistics: {stats.error()}
            </p>
          </Show>
          <Show when={stats.data()} fallback={<p class="placeholder">{stats.error() ? '' : 'Loading…'}</p>}>
            {(s) => <StatsPanel stats={s()} />}
          </Show>
        </section>
      </main>

      <footer class="foot muted small">
        Drawings and answers are stored to measure and retrain the model. Inference runs on the server.
      </footer>
    </div>
  );
}
