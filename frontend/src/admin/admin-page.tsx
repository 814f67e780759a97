// The learning loop page: renders the admin store and calls its actions, nothing more.
import { For, Show } from 'solid-js';
import { formatPercent, formatTime } from '../format';
import type { RetrainJob } from './admin-types';
import type { AdminStore, GateFigures, VersionRow } from './admin-store';

const pct = (v: number | null) => (v === null ? '–' : formatPercent(v, 2));

function TokenForm(props: { store: AdminStore }) {
  let input!: HTMLInputElement;
  return (
    <form
      class="card"
      onSubmit={(e) => {
        e.preventDefault();
        props.store.signIn(input.value);
        input.value = '';
      }}
    >
      <h2>Admin token</h2>
      <p class="muted">Kept for this tab only, and sent only to this server's admin endpoints.</p>
      <label>
        Token <input ref={input} type="password" autocomplete="off" data-testid="admin-token" />
      </label>{' '}
      <button class="button" type="submit" data-testid="admin-sign-in">
        Open
      </button>
    </form>
  );
}

const Gate = (props: { gate: GateFigures | null; quantizedFrom: string | null }) => (
  <Show
    when={props.gate}
    fallback={<span class="muted">{props.quantizedFrom ? `int8 of v${props.quantizedFrom}` : 'trained from scratch'}</span>}
  >
    {(g) => (
      <span>
        MNIST {pct(g().mnistBefore)} → {pct(g().mnistAfter)}; held-out feedback {pct(g().heldOutBefore)} → {pct(g().heldOutAfter)} ({g().heldOutCount}, p = {g().p.toPrecision(2)})
      </span>
    )}
  </Show>
);

function VersionTable(props: { store: AdminStore }) {
  const rows = () => props.store.versions();
  // Versions are listed oldest first: one older than the current is a rollback, a newer one a promotion.
  const action = (row: VersionRow) => {
    const current = rows().findIndex((r) => r.current);
    return rows().indexOf(row) < current ? 'Roll back' : 'Promote';
  };
  return (
    <section class="card">
      <h2>Model versions</h2>
      <div class="table-wrap">
        <table data-testid="admin-versions">
          <thead>
            <tr>
              <th>version</th>
              <th>added</th>
              <th>gate when made</th>
              <th>MNIST served</th>
              <th>live: predictions</th>
              <th>labeled</th>
              <th>accuracy</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(row) => (
                <tr data-testid={`admin-version-${row.version}`} data-current={row.current}>
                  <td>v{row.version}{row.current ? ' (served)' : ''}</td>
                  <td><time datetime={row.createdAt}>{formatTime(row.createdAt)}</time></td>
                  <td><Gate gate={row.gate} quantizedFrom={row.quantizedFrom} /></td>
                  <td>{pct(row.mnistServed)}</td>
                  <td>{row.live.predictions}</td>
                  <td>{row.live.labeled}</td>
                  <td data-testid={`admin-live-accuracy-${row.version}`}>{pct(row.live.accuracy)}</td>
                  <td>
                    <Show when={!row.current}>
                      <button class="button" disabled={props.store.busy()} data-testid={`admin-make-current-${row.version}`} onClick={() => props.store.makeCurrent(row.version)}>
                        {action(row)}
                      </button>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}

function verdict(job: RetrainJob): string {
  const r = job.result as { version?: string; reasons?: string[] } | null;
  if (job.state === 'accepted') return `new version v${r?.version ?? '?'}`;
  if (job.state === 'refused' || job.state === 'failed') return r?.reasons?.join('; ') ?? job.progress;
  return job.progress;
}

function JobsPanel(props: { store: AdminStore }) {
  return (
    <section class="card">
      <h2>Retraining</h2>
      <p class="muted">A trainer fine-tunes the served version on the feedback; the gate decides whether it becomes the next version.</p>
      <button class="button" disabled={props.store.busy() || props.store.jobOpen()} data-testid="admin-retrain" onClick={() => props.store.retrain()}>
        Retrain
      </button>
      <div class="table-wrap">
        <table data-testid="admin-jobs">
          <thead>
            <tr>
              <th>job</th>
              <th>requested</th>
              <th>state</th>
              <th>progress or verdict</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.store.jobs()}>
              {(job) => (
                <tr data-testid={`admin-job-${job.id}`}>
                  <td>{job.id}</td>
                  <td><time datetime={job.requestedAt}>{formatTime(job.requestedAt)}</time></td>
                  <td data-testid="admin-job-state">{job.state}</td>
                  <td>{verdict(job)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function AdminPage(props: { store: AdminStore }) {
  return (
    <main class="page">
      <header class="top">
        <h1>Learning loop</h1>
        <Show when={props.store.token()}>
          <button class="button" onClick={() => props.store.signOut()} data-testid="admin-sign-out">
            Forget token
          </button>
        </Show>
      </header>
      <Show when={props.store.problem()}>
        <p class="alert" role="alert">{props.store.problem()}</p>
      </Show>
      <Show when={props.store.token()} fallback={<TokenForm store={props.store} />}>
        <VersionTable store={props.store} />
        <JobsPanel store={props.store} />
      </Show>
    </main>
  );
}
