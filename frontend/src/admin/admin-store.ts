// The learning loop page's state and flow: the admin token (kept for this tab only, in sessionStorage),
// the model versions with their gate figures and live accuracy, promotion and rollback, and retraining
// jobs, polled while one is open. No DOM: components only render it and call its actions.
import { createSignal } from 'solid-js';
import { ApiError, errorMessage } from '../api-client';
import type { AdminApi } from './admin-api';
import type { LiveFigures, ModelVersion, RetrainJob } from './admin-types';

export const TOKEN_KEY = 'digit-admin-token';
/** How often an open job is asked about. */
export const JOB_POLL_MS = 2000;

/** What the gate measured when retraining made the version (card.gate); null for a version trained from scratch. */
export interface GateFigures {
  mnistBefore: number;
  mnistAfter: number;
  heldOutCount: number;
  heldOutBefore: number;
  heldOutAfter: number;
  p: number;
}

export interface VersionRow {
  version: string;
  current: boolean;
  createdAt: string;
  gate: GateFigures | null;
  /** The float version an int8 version was quantized from (card.quantization.parent); null otherwise. */
  quantizedFrom: string | null;
  /** The MNIST test accuracy as served, from the card's evaluation. */
  mnistServed: number | null;
  live: Pick<LiveFigures, 'predictions' | 'labeled' | 'accuracy'>;
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const at = (o: unknown, ...keys: string[]): unknown => keys.reduce((v, k) => (v as Record<string, unknown> | null)?.[k], o);

export function gateOf(card: Record<string, unknown>): GateFigures | null {
  const g = card.gate;
  const figures = {
    mnistBefore: num(at(g, 'mnistTest', 'before')),
    mnistAfter: num(at(g, 'mnistTest', 'after')),
    heldOutCount: num(at(g, 'heldOutFeedback', 'count')),
    heldOutBefore: num(at(g, 'heldOutFeedback', 'before')),
    heldOutAfter: num(at(g, 'heldOutFeedback', 'after')),
    p: num(at(g, 'heldOutFeedback', 'p')),
  };
  return Object.values(figures).every((v) => v !== null) ? (figures as GateFigures) : null;
}

export function versionRows(versions: ModelVersion[], live: LiveFigures[]): VersionRow[] {
  const byVersion = new Map(live.map((l) => [l.version, l]));
  return versions.map((v) => ({
    version: v.version,
    current: v.current,
    createdAt: v.createdAt,
    gate: gateOf(v.card),
    quantizedFrom: str(at(v.card, 'quantization', 'parent')),
    mnistServed: num(at(v.card, 'evaluation', 'mnistTestServed', 'accuracy')),
    live: byVersion.get(v.version) ?? { predictions: 0, labeled: 0, accuracy: null },
  }));
}

const isOpen = (job: RetrainJob | undefined) => job?.state === 'queued' || job?.state === 'running';

export function createAdminStore(api: (token: () => string) => AdminApi, storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = sessionStorage) {
  const [token, setToken] = createSignal(storage.getItem(TOKEN_KEY) ?? '');
  const [versions, setVersions] = createSignal<VersionRow[]>([]);
  const [jobs, setJobs] = createSignal<RetrainJob[]>([]);
  const [problem, setProblem] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const client = api(token);
  let poll: ReturnType<typeof setTimeout> | undefined;

  const signOut = (why = '') => {
    storage.removeItem(TOKEN_KEY);
    setToken('');
    setVersions([]);
    setJobs([]);
    clearTimeout(poll);
    setProblem(why);
  };

  /** Runs one admin call; a refused token signs out, any other failure is shown. */
  async function attempt(work: () => Promise<void>) {
    try {
      await work();
      setProblem('');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) signOut('The server refused this token.');
      else setProblem(errorMessage(error));
    }
  }

  const loadVersions = async () => {
    const [list, live] = await Promise.all([client.versions(), client.live()]);
    setVersions(versionRows(list.versions, live.versions));
  };

  // While a job is open it is polled; when it ends the versions are read again (it may have added one).
  const loadJobs = async () => {
    const wasOpen = isOpen(jobs()[0]);
    const { jobs: latest } = await client.jobs();
    setJobs(latest);
    if (wasOpen && !isOpen(latest[0])) await loadVersions();
    clearTimeout(poll);
    if (isOpen(latest[0])) poll = setTimeout(() => void attempt(loadJobs), JOB_POLL_MS);
  };

  const load = () => attempt(async () => {
    await loadVersions();
    await loadJobs();
  });

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    await attempt(async () => {
      await work();
      await loadVersions();
      await loadJobs();
    });
    setBusy(false);
  };

  if (token()) void load();

  return {
    token,
    versions,
    jobs,
    problem,
    busy,
    /** The newest job is queued or running: a second cannot be queued. */
    jobOpen: () => isOpen(jobs()[0]),
    signIn(typed: string) {
      const value = typed.trim();
      if (!value) return setProblem('Type the admin token.');
      storage.setItem(TOKEN_KEY, value);
      setToken(value);
      void load();
    },
    signOut: () => signOut(),
    reload: load,
    /** Promotion and rollback alike: the version every replica serves from its next poll. */
    makeCurrent: (version: string) => act(() => client.makeCurrent(version)),
    retrain: () => act(() => client.queueJob()),
    dispose: () => clearTimeout(poll),
  };
}

export type AdminStore = ReturnType<typeof createAdminStore>;
