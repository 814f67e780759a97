// The learning loop page against a fake admin API: a refused token forgotten, the versions with their
// gate and live figures, promotion, and a retraining job polled until its verdict.
import { fireEvent, render, waitFor } from '@solidjs/testing-library';
import { describe, expect, it, vi } from 'vitest';
import { createAdminApi } from './admin-api';
import { AdminPage } from './admin-page';
import { createAdminStore, TOKEN_KEY } from './admin-store';

const TOKEN = 'the-token';
const gate = { mnistTest: { before: 0.99, after: 0.9905 }, heldOutFeedback: { count: 40, before: 0.6, after: 0.8, p: 0.01 } };

function fakeServer() {
  let current = '3';
  const jobs: { id: string; state: string; progress: string; requestedAt: string; result: unknown }[] = [];
  const calls: string[] = [];
  const fetchImpl = async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url}`);
    const reply = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
    if ((init?.headers as Record<string, string>).authorization !== `Bearer ${TOKEN}`) {
      return reply({ error: { code: 'unauthorized', message: 'bad token' } }, 401);
    }
    if (url === '/api/admin/models') {
      const versions = [
        { version: '2', card: { evaluation: { mnistTestServed: { accuracy: 0.9956 } } } },
        { version: '3', card: { gate } },
        { version: '4', card: { quantization: { parent: '3' } } },
      ].map((v) => ({ ...v, name: 'digit-cnn', createdAt: '2026-12-01T10:00:00.000Z', current: v.version === current }));
      return reply({ current: { name: 'digit-cnn', version: current }, versions });
    }
    if (url === '/api/admin/models/live') return reply({ versions: [{ version: '3', predictions: 5, labeled: 4, correct: 3, accuracy: 0.75 }] });
    const set = /^\/api\/admin\/models\/(\w+)\/current$/.exec(url);
    if (set && method === 'POST') {
      current = set[1]!;
      return reply({ model: { name: 'digit-cnn', version: current } });
    }
    if (url === '/api/admin/retrain-jobs' && method === 'POST') {
      jobs.unshift({ id: '1', state: 'queued', progress: '', requestedAt: '2026-12-01T11:00:00.000Z', result: null });
      return reply({ job: jobs[0] }, 201);
    }
    if (url === '/api/admin/retrain-jobs') return reply({ jobs });
    return reply({ error: { code: 'not-found', message: url } }, 404);
  };
  return { fetchImpl, calls, jobs, current: () => current };
}

function mount(storage = new Map<string, string>()) {
  const server = fakeServer();
  const session = { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v), removeItem: (k: string) => void storage.delete(k) };
  const store = createAdminStore((token) => createAdminApi(token, server.fetchImpl), session);
  const view = render(() => <AdminPage store={store} />);
  const signIn = (token: string) => {
    fireEvent.input(view.getByTestId('admin-token'), { target: { value: token } });
    (view.getByTestId('admin-token') as HTMLInputElement).value = token;
    fireEvent.submit(view.getByTestId('admin-token').closest('form')!);
  };
  return { server, store, view, storage, signIn };
}

describe('the learning loop page', () => {
  it('forgets a refused token and says so', async () => {
    const { view, storage, signIn } = mount();
    signIn('wrong');
    await waitFor(() => expect(view.getByRole('alert').textContent).toMatch(/refused/));
    expect(storage.size).toBe(0);
    expect(view.getByTestId('admin-token')).toBeTruthy();
  });

  it('lists the versions with their figures and promotes or rolls back', async () => {
    const { view, storage, signIn, server } = mount();
    signIn(TOKEN);
    await waitFor(() => view.getByTestId('admin-version-3'));
    expect(storage.get(TOKEN_KEY)).toBe(TOKEN);
    const v3 = view.getByTestId('admin-version-3').textContent!;
    expect(v3).toContain('MNIST 99.00% → 99.05%; held-out feedback 60.00% → 80.00% (40, p = 0.010)');
    expect(view.getByTestId('admin-live-accuracy-3').textContent).toBe('75.00%');
    expect(view.getByTestId('admin-version-2').textContent).toContain('trained from scratch');
    expect(view.getByTestId('admin-version-4').textContent).toContain('int8 of v3');
    expect(view.getByTestId('admin-version-2').textContent).toContain('99.56%');
    expect(view.getByTestId('admin-live-accuracy-2').textContent).toBe('–');
    fireEvent.click(view.getByTestId('admin-make-current-2'));
    await waitFor(() => expect(view.getByTestId('admin-version-2').dataset.current).toBe('true'));
    expect(server.current()).toBe('2');
    expect(view.getByTestId('admin-make-current-3').textContent).toBe('Promote');
  });

  it('queues a retraining job, polls it and shows the verdict', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { view, server } = mount(new Map([[TOKEN_KEY, TOKEN]]));
      await waitFor(() => view.getByTestId('admin-version-3'));
      fireEvent.click(view.getByTestId('admin-retrain'));
      await waitFor(() => expect(view.getByTestId('admin-job-state').textContent).toBe('queued'));
      expect((view.getByTestId('admin-retrain') as HTMLButtonElement).disabled).toBe(true);
      Object.assign(server.jobs[0]!, { state: 'refused', result: { reasons: ['no significant improvement'] } });
      await vi.advanceTimersByTimeAsync(2500);
      await waitFor(() => expect(view.getByTestId('admin-job-state').textContent).toBe('refused'));
      expect(view.getByTestId('admin-job-1').textContent).toContain('no significant improvement');
      expect((view.getByTestId('admin-retrain') as HTMLButtonElement).disabled).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
