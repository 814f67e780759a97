import { For } from 'solid-js';

const DIGITS = Array.from({ length: 10 }, (_, d) => d);

/** Cell shade 0..1: square root so a single mistake still shows beside a hundred right answers. */
export function shade(value: number, max: number): number {
  return max <= 0 || value <= 0 ? 0 : Math.sqrt(value / max);
}

/**
 * Heatmap of labeled predictions: rows are what was drawn, columns what the model said.
 * The diagonal (right answers) is shaded in the calm accent colour, mistakes in a warm one.
 */
export function ConfusionMatrix(props: { matrix: number[][] }) {
  const max = () => Math.max(0, ...props.matrix.flat());
  return (
    <div class="table-wrap">
      <table class="confusion" aria-label="Confusion matrix: rows are the true digit, columns the predicted digit">
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">drawn \ said</span>
            </th>
            <For each={DIGITS}>{(d) => <th scope="col">{d}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={DIGITS}>
            {(t) => (
              <tr>
                <th scope="row">{t}</th>
                <For each={DIGITS}>
                  {(p) => {
                    const value = () => props.matrix[t]?.[p] ?? 0;
                    const level = () => shade(value(), max());
                    return (
                      <td
                        classList={{ diag: t === p, strong: level() > 0.55, zero: value() === 0 }}
                        style={{ '--level': level().toFixed(3) }}
                        title={`drew ${t}, model said ${p}: ${value()}`}
                      >
                        {value() || ''}
                        {value() === 0 ? <span class="visually-hidden">0</span> : null}
                      </td>
                    );
                  }}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
