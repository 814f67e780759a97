import type { Stats } from './api-types';
import { BarList } from './bar-list';
import { ConfusionMatrix } from './confusion-matrix';
import { formatPercent } from './format';

/** How well the model does on the drawings people have labeled. */
export function StatsPanel(props: { stats: Stats }) {
  const recallBars = () =>
    props.stats.perDigit.map((d) => ({
      label: String(d.digit),
      value: d.recall,
      detail: `(${d.support})`,
    }));
  return (
    <div class="stats">
      <dl class="figures">
        <div>
          <dt>Accuracy</dt>
          <dd data-testid="accuracy">{props.stats.accuracy === null ? '–' : formatPercent(props.stats.accuracy)}</dd>
        </div>
        <div>
          <dt>Labeled</dt>
          <dd>
            {props.stats.labeled} <span class="muted">of {props.stats.total}</span>
          </dd>
        </div>
        <div>
          <dt>Right</dt>
          <dd>{props.stats.correct}</dd>
        </div>
      </dl>
      <div class="stats-grid">
        <div>
          <h3>Right per digit</h3>
          <p class="muted small">Share of each drawn digit the model read right (number labeled).</p>
          <BarList bars={recallBars()} label="Accuracy per true digit (recall)" class="recall" />
        </div>
        <div>
          <h3>Confusion matrix</h3>
          <p class="muted small">Rows: the digit drawn (↓). Columns: the model's answer (→).</p>
          <ConfusionMatrix matrix={props.stats.confusionMatrix} />
        </div>
      </div>
    </div>
  );
}
