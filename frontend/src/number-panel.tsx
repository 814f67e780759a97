import { For, Show } from 'solid-js';
import { FeedbackForm } from './feedback-form';
import { formatPercent } from './format';
import type { Result } from './reading';

type Props = {
  result: Result;
  /** True labels saved so far, by reading id. */
  answers: Readonly<Record<string, number>>;
  busy: boolean;
  onAnswer: (id: string, trueLabel: number) => void;
};

/**
 * A number as read: its digits in order and how sure the least sure of them is, then each digit
 * (numbered like its box on the pad) with its confidence and its own confirm-or-correct form.
 */
export function NumberPanel(props: Props) {
  return (
    <div class="prediction number">
      <div class="answer-main">
        <span class="answer-caption" id="prediction-caption">
          It reads
        </span>
        <output class="digit" data-testid="prediction" aria-labelledby="prediction-caption">
          {props.result.text}
        </output>
        <span class="confidence-line">
          <span data-testid="confidence" class="confidence">
            {formatPercent(props.result.confidence)}
          </span>{' '}
          sure of its least sure digit
        </span>
      </div>
      <ol class="readings" aria-label="Each digit">
        <For each={props.result.readings}>
          {(reading, i) => (
            <li class="reading" data-testid={`digit-reading-${i()}`}>
              <div class="reading-head">
                <span class="box-number" aria-hidden="true">
                  {i() + 1}
                </span>
                <span class="reading-digit">{reading.digit}</span>
                <span class="muted small">
                  <span data-testid={`digit-confidence-${i()}`}>{formatPercent(reading.confidence)}</span> sure
                  <Show when={!reading.isDigit}> · doesn't look like a digit</Show>
                </span>
              </div>
              <Show
                when={props.answers[reading.id] === undefined}
                fallback={
                  <p class="saved small" data-testid={`digit-saved-${i()}`}>
                    Saved as {props.answers[reading.id]}
                  </p>
                }
              >
                <FeedbackForm
                  predictionId={reading.id}
                  predicted={[reading.digit]}
                  busy={props.busy}
                  index={i()}
                  onAnswer={([label]) => props.onAnswer(reading.id, label!)}
                />
              </Show>
            </li>
          )}
        </For>
      </ol>
      <p class="muted small">
        Model {props.result.model.name} · version {props.result.model.version}
      </p>
    </div>
  );
}
