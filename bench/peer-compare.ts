// The app beside the server most demo authors write (bench/peer/server.py: FastAPI, uvicorn, PyTorch,
// psycopg2), both logging every prediction to the same PostgreSQL table, loaded in alternating rounds
// at 1 to 64 connections. The peer takes the JSON body only; the app takes JSON and PNG.
import path from 'node:path';
import { definedEnv, freePort, startProcess, UNDER_LOAD } from '../functions/testing/processes.ts';
import { findPython } from '../training/python.mjs';
import { predictBodies } from './bodies.ts';
import { descendants, rssKiB } from './processes.ts';
import { predicts, REPO_ROOT, startBenchServer, type Database, type Target } from './targets.ts';

export const PEER_CONNECTIONS = [1, 8, 32, 64] as const;
export const PEER_NEEDS = ['fastapi', 'uvicorn', 'psycopg2', 'torch'];

/**
 * uvicorn's default single worker, as in FastAPI's first example (PEER_WORKERS to change). Its deployment
 * docs' one worker a core measured slower here, where the load generator and PostgreSQL share the cores.
 */
export const peerWorkers = () => Number(process.env.PEER_WORKERS ?? 1);

/** libpq reads `options` percent-decoded but takes a '+' literally, where URLSearchParams writes one for a space. */
export const libpqUrl = (databaseUrl: string) => databaseUrl.replaceAll('+', '%20');

/** The peer on `db` (the same table the app writes), ready once it has answered one prediction. */
export async function startPeer(db: Database, workers = peerWorkers()): Promise<Target> {
  const python = findPython({ need: PEER_NEEDS });
  if (!python) throw new Error(`no Python with ${PEER_NEEDS.join(', ')} (apt-get install python3-fastapi python3-uvicorn python3-psycopg2 python3-torch)`);
  const port = await freePort();
  const args = ['-m', 'uvicorn', '--app-dir', path.join(REPO_ROOT, 'bench/peer'), 'server:app', '--host', '127.0.0.1', '--port', String(port), '--workers', String(workers)];
  const url = `http://127.0.0.1:${port}/api/predict`;
  const peer = await startProcess(python, args, {
    cwd: REPO_ROOT,
    env: definedEnv(process.env, { DATABASE_URL: libpqUrl(db.databaseUrl) }),
    ...UNDER_LOAD,
    what: 'bench/peer/server.py',
    ready: () => predicts(url),
  });
  const pid = peer.pid;
  // The parent and its worker processes together.
  const rss = () => [pid, ...descendants(pid).map((p) => p.pid)].reduce((sum, p) => sum + (rssKiB(p) ?? 0), 0) || undefined;
  return { url, pid, rssKiB: rss, stop: async () => void (await peer.stop()) };
}

export const peerPlans = (db: Database) => [
  // As the Node server runs on a self-hosted PostgreSQL with no proxy named: over TCP, like the peer.
  { name: 'postgres-tcp' as const, start: () => startBenchServer('postgres-tcp', db), bodies: predictBodies() },
  // Through the WebSocket proxy (websockify) that the Worker needs: the JSON body, in the same rounds.
  { name: 'postgres' as const, start: () => startBenchServer('postgres', db), bodies: [predictBodies()[0]!] },
  { name: 'peer' as const, start: () => startPeer(db), bodies: [predictBodies()[0]!] },
];

interface Row {
  target: string;
  body: string;
  connections: number;
  rps: number;
  p99Ms: number;
}

/** The targets: the app's JSON throughput against the peer's (>= 2x at 1 connection, >= 5x at 32 and 64), p99 no worse. */
export function peerTargets(rows: Row[]) {
  const find = (target: string, connections: number) => rows.find((r) => r.target === target && r.body === 'json' && r.connections === connections);
  return PEER_CONNECTIONS.flatMap((connections) => {
    const app = find('postgres-tcp', connections);
    const peer = find('peer', connections);
    if (!app || !peer) return [];
    const least = connections === 1 ? 2 : connections >= 32 ? 5 : undefined;
    const ratio = app.rps / peer.rps;
    return [
      ...(least === undefined ? [] : [{ name: `predict json @${connections}: app / FastAPI peer, req/s`, value: ratio, target: `>= ${least}`, met: ratio >= least }]),
      { name: `predict json @${connections}: app / FastAPI peer, p99`, value: app.p99Ms / peer.p99Ms, target: '<= 1', met: app.p99Ms <= peer.p99Ms },
    ];
  });
}
