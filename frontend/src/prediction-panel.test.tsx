import { render } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import type { Prediction } from './api-types';
import { PredictionPanel } from './prediction-panel';

const probabilities = [0.01, 0.02, 0.01, 0.03, 0.01, 0.02, 0.01, 0.8456, 0.05, 0.0144];
const prediction: Prediction = { id: 'p', digit: 7, confidence: 0.8456, probabilities, isDigit: true, model: { name: 'mnist-cnn', version: '3' } };

describe('PredictionPanel', () => {
  it('shows the digit as one character, the confidence as a percentage and ten bars', () => {
    const view = render(() => <PredictionPanel reading={prediction} model={prediction.model} pixels={new Float32Array(784)} />);
    expect(view.getByTestId('prediction').textContent).toBe('7');
    expect(view.getByTestId('confidence').textContent).toBe('84.6%');
    const bars = view.getByRole('list', { name: /probability of each digit/i }).querySelectorAll('li');
    expect(bars).toHaveLength(10);
    expect(bars[7].classList.contains('highlight')).toBe(true);
    expect(bars[7].textContent).toContain('84.6%');
    expect(view.getByRole('img', { name: /28 by 28/ })).toBeTruthy();
    expect(view.getByText(/mnist-cnn/).textContent).toContain('version 3');
    expect(view.queryByText(/doesn't look like a digit/)).toBeNull();
  });

  it('says when the drawing does not look like a digit, and still shows the nearest digit', () => {
    const view = render(() => (
      <PredictionPanel reading={{ ...prediction, isDigit: false }} model={prediction.model} pixels={new Float32Array(784)} />
    ));
    expect(view.getByText(/That doesn't look like a digit/)).toBeTruthy();
    expect(view.getByText(/nearest digit/i)).toBeTruthy();
    expect(view.getByTestId('prediction').textContent).toBe('7');
  });
});
