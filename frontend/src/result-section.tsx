import { Show } from 'solid-js';
import { FeedbackForm } from './feedback-form';
import { formatPercent } from './format';
import type { PageStore } from './page-store';
import { PredictionPanel } from './prediction-panel';

type Props = {
  store: PageStore;
  ref?: (el: HTMLElement) => void;
  /** The alert box, which a problem brings into view. */
  alertRef?: (el: HTMLElement) => void;
};

/** Steps 2 and 3: what the model read, the problems and thanks on the way, and the answer to it. */
export function ResultSection(props: Props) {
  const store = props.store;
  // The page reads one digit a drawing: the result's first and only reading.
  const reading = () => store.result()?.readings[0] ?? null;
  return (
    <section ref={props.ref} class="card result" aria-labelledby="result-heading" aria-busy={store.busy() !== ''}>
      <h2 id="result-heading">
        <span class="step">2</span> Prediction
      </h2>
      <div ref={props.alertRef} class="alert" role="alert">
        {store.problem()}
      </div>
      <div class="notice" role="status">
        {store.notice()}
      </div>
      <p class="visually-hidden" aria-live="polite">
        {reading() ? `Prediction: ${reading()!.digit}, ${formatPercent(reading()!.confidence)} sure.` : ''}
      </p>
      <Show
        when={store.result()}
        fallback={
          <p class="placeholder">
            {store.busy() === 'predict' ? 'Reading your drawing…' : 'Draw a digit and press Predict.'}
          </p>
        }
      >
        {(result) => <PredictionPanel reading={result().readings[0]!} model={result().model} pixels={result().pixels} />}
      </Show>
      <h3 class="feedback-heading">
        <span class="step">3</span> Was it right?
      </h3>
      <FeedbackForm
        predictionId={reading()?.id ?? null}
        predictedDigit={reading()?.digit ?? null}
        busy={store.busy() !== ''}
        onAnswer={(label) => void store.answer(reading()!.id, label)}
      />
    </section>
  );
}
