import { Show } from 'solid-js';
import { DrawingCanvas } from './drawing-canvas';
import { PEN_MAX, PEN_MIN, type PageStore } from './page-store';
import { RASTER_SIZE } from './rasterize';

/** Step 1: the drawing pad, the pen size and the buttons that act on the drawing. */
export function DrawSection(props: { store: PageStore; ref?: (el: HTMLElement) => void }) {
  const store = props.store;
  const dot = () => `${(store.pen() * 0.9).toFixed(0)}px`;
  return (
    <section ref={props.ref} class="card draw" aria-labelledby="draw-heading">
      <h2 id="draw-heading">
        <span class="step">1</span> Draw
      </h2>
      <div class="pad-frame">
        <DrawingCanvas strokes={store.strokes()} strokeWidth={store.pen() / RASTER_SIZE} onStroke={store.addStroke} />
        <Show when={store.strokes().length === 0}>
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
