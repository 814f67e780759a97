import { createEffect, createSignal, on } from 'solid-js';
import { parseDigit } from './format';

type Props = {
  /** Id of the prediction the answer is about; null when there is nothing to answer yet. */
  predictionId: string | null;
  predictedDigit: number | null;
  busy: boolean;
  onAnswer: (trueLabel: number) => void;
};

/**
 * Confirm or correct the prediction. The correction input takes one digit 0-9 and nothing else;
 * Enter in it submits. The input empties whenever the prediction it refers to changes.
 */
export function FeedbackForm(props: Props) {
  const [text, setText] = createSignal('');
  createEffect(on(() => props.predictionId, () => setText('')));

  const inactive = () => props.predictionId === null || props.busy;
  const label = () => parseDigit(text());

  const onInput = (e: InputEvent & { currentTarget: HTMLInputElement }) => {
    // Keep only the last digit typed, so typing over a wrong digit just works.
    const digits = e.currentTarget.value.replace(/[^0-9]/g, '');
    const next = digits.slice(-1);
    e.currentTarget.value = next;
    setText(next);
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const value = label();
    if (!inactive() && value !== null) props.onAnswer(value);
  };

  return (
    <form class="feedback" onSubmit={submit} aria-describedby="feedback-hint">
      <button
        type="button"
        class="button good"
        data-testid="feedback-correct"
        disabled={inactive()}
        onClick={() => props.predictedDigit !== null && props.onAnswer(props.predictedDigit)}
      >
        Correct
      </button>
      <span class="or" aria-hidden="true">
        or
      </span>
      <span class="correction">
        <label for="true-label">It was</label>
        <input
          id="true-label"
          data-testid="feedback-label"
          type="text"
          inputMode="numeric"
          pattern="[0-9]"
          maxLength={2}
          autocomplete="off"
          placeholder="0–9"
          aria-label="The digit you actually drew, 0 to 9"
          disabled={inactive()}
          value={text()}
          onInput={onInput}
        />
        <button type="submit" class="button" data-testid="feedback-submit" disabled={inactive() || label() === null}>
          Submit correction
        </button>
      </span>
      <p id="feedback-hint" class="muted small hint">
        Your answer is saved with the drawing and used to retrain the model.
      </p>
    </form>
  );
}
