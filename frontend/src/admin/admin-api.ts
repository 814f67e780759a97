// The admin endpoints, each call carrying `Authorization: Bearer <token>`; failures become the main
// page's ApiError, with the server's message.
import { ApiError } from '../api-client';
import type { LiveFigures, RetrainJob, VersionList } from './admin-types';

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export function createAdminApi(token: () => string, fetchImpl: FetchLike = (i, init) => fetch(i, init)) {
  async function call<T>(path: string, method = 'GET'): Promise<T> {
    let res: Response;
    try {
      res = await fetchImpl(`/api/admin${path}`, { method, headers: { accept: 'application/json', authorization: `Bearer ${token()}` } });
    } catch {
      throw new ApiError('network', 'Could not reach the server.', 0);
    }
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (!res.ok) throw new ApiError(body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? `The server answered ${res.status}.`, res.status);
    return body as T;
  }
  return {
    versions: () => call<VersionList>('/models'),
    live: () => call<{ versions: LiveFigures[] }>('/models/live'),
    makeCurrent: (version: string) => call<unknown>(`/models/${encodeURIComponent(version)}/current`, 'POST'),
    jobs: () => call<{ jobs: RetrainJob[] }>('/retrain-jobs'),
    queueJob: () => call<{ job: RetrainJob }>('/retrain-jobs', 'POST'),
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;
