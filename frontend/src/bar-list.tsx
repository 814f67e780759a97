import { For } from 'solid-js';
import { formatPercent } from './format';

export type Bar = { label: string; value: number | null; highlight?: boolean; detail?: string };

/**
 * Horizontal bars with their numbers written out: the numbers carry the meaning for screen
 * readers and small screens, the bars make the shape visible at a glance.
 */
export function BarList(props: { bars: Bar[]; label: string; class?: string }) {
  return (
    <ul class={props.class ? `bars ${props.class}` : 'bars'} aria-label={props.label}>
      <For each={props.bars}>
        {(bar) => (
          <li classList={{ highlight: !!bar.highlight }}>
            <span class="bar-label">{bar.label}</span>
            <span class="bar-track" aria-hidden="true">
              {bar.value === null ? null : <span class="bar-fill" style={{ width: `${bar.value * 100}%` }} />}
            </span>
            <span class="bar-value">
              {bar.value === null ? '–' : formatPercent(bar.value)}
              {bar.detail ? <span class="bar-detail"> {bar.detail}</span> : null}
            </span>
          </li>
        )}
      </For>
    </ul>
  );
}
