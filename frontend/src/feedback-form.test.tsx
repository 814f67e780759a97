import { fireEvent, render } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { FeedbackForm } from './feedback-form';

function setup(id: string | null = 'p1', digit: number | null = 4) {
  return setupFor(id, digit === null ? null : [digit]);
}

function setupFor(id: string | null, predicted: number[] | null, index?: number) {
  const [predictionId, setPredictionId] = createSignal(id);
  const [busy, setBusy] = createSignal(false);
  const onAnswer = vi.fn();
  const view = render(() => (
    <FeedbackForm predictionId={predictionId()} predicted={predicted} busy={busy()} onAnswer={onAnswer} index={index} />
  ));
  const testId = (name: string) => (index === undefined ? `feedback-${name}` : `digit-feedback-${name}-${index}`);
  return {
    view,
    onAnswer,
    setPredictionId,
    setBusy,
    correct: view.getByTestId(testId('correct')) as HTMLButtonElement,
    input: view.getByTestId(testId('label')) as HTMLInputElement,
    submit: view.getByTestId(testId('submit')) as HTMLButtonElement,
  };
}

describe('FeedbackForm', () => {
  it('lays out Correct, the digit input and Submit correction in that order, with labels', () => {
    const { view, correct, input, submit } = setup();
    const order = [correct, input, submit].map((el) =>
      Array.from(view.container.querySelectorAll('button, input')).indexOf(el),
    );
    expect(order).toEqual([0, 1, 2]);
    expect(view.getByLabelText(/digit you actually drew/i)).toBe(input);
    expect(input.id).toBe('true-label');
    expect(view.container.querySelector('label[for="true-label"]')).not.toBeNull();
  });

  it('confirms the predicted digit with Correct', () => {
    const { correct, onAnswer } = setup('p1', 4);
    fireEvent.click(correct);
    expect(onAnswer).toHaveBeenCalledWith([4]);
  });

  it('takes one digit 0-9 only and submits it, also with Enter', () => {
    const { input, submit, onAnswer } = setup();
    expect(submit.disabled).toBe(true);
    fireEvent.input(input, { target: { value: 'x' } });
    expect(input.value).toBe('');
    expect(submit.disabled).toBe(true);
    fireEvent.input(input, { target: { value: '3' } });
    fireEvent.input(input, { target: { value: '38' } });
    expect(input.value).toBe('8');
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    expect(onAnswer).toHaveBeenLastCalledWith([8]);
    fireEvent.submit(input.form!);
    expect(onAnswer).toHaveBeenCalledTimes(2);
  });

  it('is disabled with nothing to answer or while busy, and empties for a new prediction', () => {
    const { correct, input, submit, setPredictionId, setBusy, onAnswer } = setup(null);
    expect([correct.disabled, input.disabled, submit.disabled]).toEqual([true, true, true]);
    setPredictionId('p2');
    expect(correct.disabled).toBe(false);
    fireEvent.input(input, { target: { value: '5' } });
    setBusy(true);
    expect([correct.disabled, input.disabled, submit.disabled]).toEqual([true, true, true]);
    fireEvent.submit(input.form!);
    expect(onAnswer).not.toHaveBeenCalled();
    setBusy(false);
    setPredictionId('p3');
    expect(input.value).toBe('');
  });

  it('for a number, confirms every digit and takes the whole number, as many digits as were read', () => {
    const { correct, input, submit, onAnswer } = setupFor('n1', [4, 2]);
    fireEvent.click(correct);
    expect(onAnswer).toHaveBeenLastCalledWith([4, 2]);
    fireEvent.input(input, { target: { value: '4' } });
    expect(submit.disabled).toBe(true);
    fireEvent.input(input, { target: { value: '4a7' } });
    expect(input.value).toBe('47');
    fireEvent.input(input, { target: { value: '479' } });
    expect(input.value).toBe('47');
    fireEvent.click(submit);
    expect(onAnswer).toHaveBeenLastCalledWith([4, 7]);
    expect(input.getAttribute('aria-label')).toMatch(/number you actually wrote, all 2 digits/);
  });

  it("one digit of a number has its own ids, test ids and names", () => {
    const { view, correct, input, onAnswer } = setupFor('p2', [2], 1);
    expect(input.id).toBe('true-label-1');
    expect(view.container.querySelector('label[for="true-label-1"]')).not.toBeNull();
    expect(view.getByRole('button', { name: 'Correct (digit 2)' })).toBe(correct);
    expect(view.queryByTestId('feedback-correct')).toBeNull();
    fireEvent.input(input, { target: { value: '3' } });
    fireEvent.submit(input.form!);
    expect(onAnswer).toHaveBeenCalledWith([3]);
  });
});
