import { createEffect, createSignal, on } from 'solid-js';
import { parseDigits } from './format';

type Props = {
  /** Id of what the answer is about; null when there is nothing to answer yet. */
  predictionId: string | null;
  /** What was read: one digit, or a number's digits in order; the answer has as many. */
  predicted: readonly number[] | null;
  busy: boolean;
  onAnswer: (trueLabels: number[]) => void;
  /** The form for one digit of a number: its own ids and test ids, and its place in the labels. */
  index?: number;
};

/**
 * Confirm or correct what was read. The correction input takes exactly as many digits as were read
 * and nothing else (one digit 0-9 for a digit; the whole number for a number); Enter in it submits.
 * The input empties whenever the prediction it refers to changes.
 */
export function FeedbackForm(props: Props) {
  const [text, setText] = createSignal('');
  createEffect(on(() => props.predictionId, () => setText('')));

  const count = () => props.predicted?.length || 1;
  const inactive = () => props.predictionId === null || props.busy;
  const labels = () => parseDigits(text(), count());
  const inputId = () => (props.index === undefined ? 'true-label' : `true-label-${props.index}`);
  const testId = (name: string) => (props.index === undefined ? `feedback-${name}` : `digit-feedback-${name}-${props.index}`);
  const which = () => (props.index === undefined ? '' : ` (digit ${props.index + 1})`);

  const onInput = (e: InputEvent & { currentTarget: HTMLInputElement }) => {
    const digits = e.currentTarget.value.replace(/[^0-9]/g, '');
    // One digit: keep the last typed, so typing over a wrong digit just works; a number: its first digits.
    const next = count() === 1 ? digits.slice(-1) : digits.slice(0, count());
    e.currentTarget.value = next;
    setText(next);
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const value = labels();
    if (!inactive() && value !== null) props.onAnswer(value);
  };

  return (
    <form class="feedback" onSubmit={submit} aria-describedby={props.index === undefined ? 'feedback-hint' : undefined}>
      <button
        type="button"
        class="button good"
        data-testid={testId('correct')}
        disabled={inactive()}
        aria-label={props.index === undefined ? undefined : `Correct${which()}`}
        onClick={() => props.predicted && props.onAnswer([...props.predicted])}
      >
        Correct
      </button>
      <span class="or" aria-hidden="true">
        or
      </span>
      <span class="correction">
        <label for={inputId()}>It was</label>
        <input
          id={inputId()}
          data-testid={testId('label')}
          type="text"
          inputMode="numeric"
          pattern={count() === 1 ? '[0-9]' : `[0-9]{${count()}}`}
          maxLength={count() === 1 ? 2 : count()}
          autocomplete="off"
          placeholder={count() === 1 ? '0–9' : '0'.repeat(count())}
          aria-label={
            count() === 1
              ? `The digit you actually drew${which()}, 0 to 9`
              : `The number you actually wrote, all ${count()} digits`
          }
          disabled={inactive()}
          value={text()}
          onInput={onInput}
          style={count() === 1 ? undefined : { width: `${count() * 0.8 + 1.6}em` }}
        />
        <button
          type="submit"
          class="button"
          data-testid={testId('submit')}
          disabled={inactive() || labels() === null}
          aria-label={props.index === undefined ? undefined : `Submit correction${which()}`}
        >
          Submit correction
        </button>
      </span>
      {props.index === undefined && (
        <p id="feedback-hint" class="muted small hint">
          Your answer is saved with the drawing and used to retrain the model.
        </p>
      )}
    </form>
  );
}
