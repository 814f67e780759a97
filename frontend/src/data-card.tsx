import { type JSX, Show } from 'solid-js';

type Props = {
  /** Names the card's class (`history` -> `history-card`) and its heading's id. */
  name: string;
  title: string;
  /** What is loaded, for the failure line: "the history". */
  what: string;
  /** Why the last load failed; empty when it did not. */
  error: string;
  children: JSX.Element;
};

/** A card of figures loaded from the server, saying why when they cannot be loaded. */
export function DataCard(props: Props) {
  return (
    <section class={`card ${props.name}-card`} aria-labelledby={`${props.name}-heading`}>
      <h2 id={`${props.name}-heading`}>{props.title}</h2>
      <Show when={props.error}>
        <p class="alert inline" role="alert">
          Could not load {props.what}: {props.error}
        </p>
      </Show>
      {props.children}
    </section>
  );
}
