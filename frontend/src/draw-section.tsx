import { For, Show } from 'solid-js';
import { DrawingCanvas } from './drawing-canvas';
import { PEN_MAX, PEN_MIN, type PageStore } from './page-store';
import { type Mode, PAD } from './reading';
import { RASTER_SIZE } from './rasterize';

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'digit', label: 'Digit' },
  { mode: 'number', label: 'Number' },
];

const percent = (unit: number) => `${(unit * 100).toFixed(2)}%`;

/**
 * Step 1: what to read (one digit on a square pad, or a number on a strip twice as wide), the
 * drawing pad with the boxes of a number's digits over it, the pen size and the buttons that act
 * on the drawing.
 */
export function DrawSection(props: { store: PageStore; ref?: (el: HTMLElement) => void }) {
  const store = props.store;
  const dot = () => `${(store.pen() * 0.9).toFixed(0)}px`;
  const number = () => store.mode() === 'number';
  const boxes = () => (store.result()?.kind === 'number' ? store.result()!.readings : []);
  return (
    <section ref={props.ref} class="card draw" classList={{ wide: number() }} aria-labelledby="draw-heading">
      <h2 id="draw-heading">
        <span class="step">1</span> Draw
      </h2>
      <div class="modes" role="group" aria-label="What to read">
        <For each={MODES}>
          {({ mode, label }) => (
            <button
              type="button"
              class="mode"
              data-testid={`mode-${mode}`}
              aria-pressed={store.mode() === mode}
              disabled={store.busy() !== ''}
              onClick={() => store.switchMode(mode)}
            >
              {label}
            </button>
          )}
        </For>
      </div>
      <div class="pad-frame" style={{ '--pad-aspect': `${PAD[store.mode()].width} / ${PAD[store.mode()].height}` }}>
        <DrawingCanvas
          strokes={store.strokes()}
          strokeWidth={store.pen() / RASTER_SIZE}
          onStroke={store.addStroke}
          label={number() ? 'Drawing area: write a number, its digits side by side, with a mouse, finger or pen' : undefined}
        />
        <Show when={store.strokes().length === 0}>
          <span class="pad-hint" aria-hidden="true">
            {number() ? 'Write the digits side by side' : 'Draw here'}
          </span>
        </Show>
        <For each={boxes()}>
          {(reading, i) => (
            <span
              class="digit-box"
              classList={{ answered: store.answers()[reading.id] !== undefined }}
              data-testid={`digit-box-${i()}`}
              aria-hidden="true"
              style={{
                left: percent(reading.box!.x),
                top: percent(reading.box!.y),
                width: percent(reading.box!.width),
                height: percent(reading.box!.height),
              }}
            >
              <span class="box-number">{i() + 1}</span>
            </span>
          )}
        </For>
      </div>
      <div class="pen">
        <label for="pen-size">Pen size</label>
        <input
          id="pen-size"
          type="range"
          min={PEN_MIN}
          max={PEN_MAX}
          step={2}
          value={store.pen()}
          aria-valuetext={`${store.pen()} pixels`}
          onInput={(e) => store.setPen(Number(e.currentTarget.value))}
        />
        <span class="pen-dot" aria-hidden="true" style={{ width: dot(), height: dot() }} />
      </div>
      <div class="actions">
        <button
          type="button"
          class="button"
          onClick={store.undo}
          disabled={store.strokes().length === 0}
          aria-keyshortcuts="Control+Z"
        >
          Undo
        </button>
        <button type="button" class="button" data-testid="clear" onClick={store.clear} aria-keyshortcuts="Escape">
          Clear
        </button>
        <button
          type="button"
          class="button primary"
          data-testid="predict"
          onClick={() => void store.predict()}
          disabled={store.busy() !== ''}
          aria-keyshortcuts="Enter"
        >
          {store.busy() === 'predict' ? 'Reading…' : 'Predict'}
        </button>
      </div>
      <p class="muted small keys">
        Keys: <kbd>Enter</kbd> predict · <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo · <kbd>Esc</kbd> clear
      </p>
    </section>
  );
}
