import { Show } from 'solid-js';
import { FeedbackForm } from './feedback-form';
import { formatPercent } from './format';
import { NumberPanel } from './number-panel';
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
  const result = store.result;
  const spoken = () => {
    const r = result();
    if (!r) return '';
    const sure = formatPercent(r.confidence);
    return r.kind === 'digit' ? `Prediction: ${r.text}, ${sure} sure.` : `Prediction: ${r.text}, every digit at least ${sure} sure.`;
  };
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
        {spoken()}
      </p>
      <Show
        when={result()}
        fallback={
          <p class="placeholder">
            {store.busy() === 'predict'
              ? 'Reading your drawing…'
              : store.mode() === 'digit'
                ? 'Draw a digit and press Predict.'
                : 'Write a number and press Predict.'}
          </p>
        }
      >
        {(r) => (
          <Show
            when={r().kind === 'number'}
            fallback={<PredictionPanel reading={r().readings[0]!} model={r().model} pixels={r().pixels!} />}
          >
            <NumberPanel
              result={r()}
              answers={store.answers()}
              busy={store.busy() !== ''}
              onAnswer={(id, label) => void store.answer(id, label)}
            />
          </Show>
        )}
      </Show>
      <h3 class="feedback-heading">
        <span class="step">3</span> {store.mode() === 'digit' ? 'Was it right?' : 'Was the whole number right?'}
      </h3>
      {/* For a number: Correct confirms every digit not corrected yet, a correction is the whole number. */}
      <FeedbackForm
        predictionId={result()?.readings.map((r) => r.id).join(' ') ?? null}
        predicted={store.standing()}
        busy={store.busy() !== ''}
        onAnswer={(labels) => void store.answerAll(labels)}
      />
    </section>
  );
}
