import { Show } from 'solid-js';
import type { ModelInfo } from './api-types';
import { BarList } from './bar-list';
import { formatPercent } from './format';
import { InputPreview } from './input-preview';
import type { Reading } from './reading';

/**
 * The model's answer: the digit, how sure it is, all ten probabilities and what it saw. A drawing
 * the model does not take for a digit at all is said so, with the nearest digit beside it, so the
 * person can still correct it.
 */
export function PredictionPanel(props: { reading: Reading; model: ModelInfo; pixels: Float32Array }) {
  const bars = () =>
    props.reading.probabilities.map((p, digit) => ({
      label: String(digit),
      value: p,
      highlight: digit === props.reading.digit,
    }));
  return (
    <div class="prediction">
      <Show when={!props.reading.isDigit}>
        <p class="not-digit" role="status">
          That doesn't look like a digit.
        </p>
      </Show>
      <div class="answer">
        <div class="answer-main">
          <span class="answer-caption" id="prediction-caption">
            {props.reading.isDigit ? 'It looks like' : 'The nearest digit is'}
          </span>
          <output class="digit" data-testid="prediction" aria-labelledby="prediction-caption">
            {String(props.reading.digit)}
          </output>
          <span class="confidence-line">
            <span data-testid="confidence" class="confidence">
              {formatPercent(props.reading.confidence)}
            </span>{' '}
            sure
          </span>
        </div>
        <figure class="seen">
          <InputPreview pixels={props.pixels} />
          <figcaption>What the model saw</figcaption>
        </figure>
      </div>
      <BarList bars={bars()} label="Probability of each digit" />
      <Show when={props.model}>
        {(model) => (
          <p class="muted small">
            Model {model().name} · version {model().version}
          </p>
        )}
      </Show>
    </div>
  );
}
