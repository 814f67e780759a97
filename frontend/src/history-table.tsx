import { For, Show } from 'solid-js';
import type { HistoryItem } from './api-types';
import { formatPercent, formatTime } from './format';

/** What a row shows: never the prediction's id, which only whoever made it may know. */
export type HistoryRow = Pick<HistoryItem, 'createdAt' | 'digit' | 'confidence' | 'trueLabel'>;

/** Recent predictions, newest first, with the label a person gave (or a dash while unanswered). */
export function HistoryTable(props: { items: HistoryRow[]; loading: boolean }) {
  return (
    <div class="table-wrap">
      <table class="history" data-testid="history" aria-busy={props.loading}>
        <caption class="visually-hidden">Recent predictions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Predicted</th>
            <th scope="col">Confidence</th>
            <th scope="col">True label</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.items}>
            {(item) => (
              <tr classList={{ wrong: item.trueLabel !== null && item.trueLabel !== item.digit }}>
                <td>
                  <time datetime={item.createdAt} title={new Date(item.createdAt).toLocaleString()}>
                    {formatTime(item.createdAt)}
                  </time>
                </td>
                <td class="num">{item.digit}</td>
                <td class="num">{formatPercent(item.confidence)}</td>
                <td class="num">
                  <Show when={item.trueLabel !== null} fallback={<span class="muted" title="No answer yet">–</span>}>
                    {item.trueLabel}
                    <span class="mark" aria-hidden="true">
                      {item.trueLabel === item.digit ? '✓' : '✗'}
                    </span>
                    <span class="visually-hidden">{item.trueLabel === item.digit ? ' (right)' : ' (wrong)'}</span>
                  </Show>
                </td>
              </tr>
            )}
          </For>
          <Show when={!props.loading && props.items.length === 0}>
            <tr>
              <td colSpan={4} class="empty">
                No predictions yet. Draw a digit to start.
              </td>
            </tr>
          </Show>
        </tbody>
      </table>
    </div>
  );
}
