import { onCleanup, onMount, Show } from 'solid-js';
import { DataCard } from './data-card';
import { DrawSection } from './draw-section';
import { HistoryTable } from './history-table';
import { bindShortcuts } from './keyboard-shortcuts';
import { createPageStore, type PageStoreDeps, type Place } from './page-store';
import { ResultSection } from './result-section';
import { reveal } from './reveal';
import { StatsPanel } from './stats-panel';

type Props = Omit<PageStoreDeps, 'reveal'>;

/** The page: the store's state rendered in four cards, with the keyboard shortcuts bound. */
export function App(props: Props) {
  const places: Partial<Record<Place, HTMLElement>> = {};
  const store = createPageStore({ ...props, reveal: (place) => reveal(places[place]) });
  const { history, stats } = store;

  onMount(() => {
    onCleanup(
      bindShortcuts(window, {
        predict: () => void store.predict(),
        undo: store.undo,
        // Escape with nothing drawn keeps the thanks for the last answer on screen.
        clear: () => store.strokes().length > 0 && store.clear(),
      }),
    );
    void store.refresh();
  });

  return (
    <div class="page">
      <header class="top">
        <h1>Digit Recognizer</h1>
        <p class="lede">
          Draw a digit from 0 to 9. A small neural network reads it; tell it whether it got it right.
        </p>
      </header>

      <main class="layout">
        <DrawSection store={store} ref={(el) => (places.draw = el)} />
        <ResultSection store={store} ref={(el) => (places.result = el)} alertRef={(el) => (places.alert = el)} />
        <DataCard name="history" title="Recent predictions" what="the history" error={history.error()}>
          <HistoryTable items={history.data()?.items ?? []} loading={history.loading() && !history.data()} />
        </DataCard>
        <DataCard name="stats" title="How well it does" what="the statistics" error={stats.error()}>
          <Show when={stats.data()} fallback={<p class="placeholder">{stats.error() ? '' : 'Loading…'}</p>}>
            {(s) => <StatsPanel stats={s()} />}
          </Show>
        </DataCard>
      </main>

      <footer class="foot muted small">
        Drawings and answers are stored to measure and retrain the model. Inference runs on the server.
      </footer>
    </div>
  );
}
