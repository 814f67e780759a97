// The app image, built from the real Dockerfile with podman and run as a server would run it: on
// PostgreSQL over TCP, as Compose runs it, with the model versions in a named volume,
// and embedded, published on 127.0.0.1 behind the bridge gateway the way a reverse proxy on the host
// reaches it. No registry is reachable, so the base image is a stand-in built here from Debian's packages
// and this machine's Node.js (deploy/stand-in-base.sh). Everything it makes goes at the end.
// Alone: `npm run test:image`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_HOST, POSTGRES_PORT, postgresAvailable } from '../functions/node/testing.ts';
import { freePort, waitUntil } from '../functions/testing/processes.ts';
import { REPO_ROOT } from './compose-file.ts';
import { createPodman, podmanAvailable, type Podman } from './podman.ts';

const installed = podmanAvailable();
if (!installed && process.env.CI) throw new Error('CI is set but podman, debootstrap or iptables is not installed (.ci/run installs them)');
const root = process.getuid?.() === 0;
if (installed && !root && process.env.CI) throw new Error('CI is set but the image test needs root (rootful podman, iptables)');
const available = installed && root && (await postgresAvailable());

const IMAGE = 'localhost/digit-recognizer:image-test';
const BASE = 'docker.io/library/node:20-bookworm-slim';
const TOKEN = randomBytes(12).toString('hex');
/** What a model version is made of; code (model/*.ts), tests and fixtures never go into MODEL_DIR. */
const VERSION_FILE = /^(current\.json|.*\.(onnx|card\.json|pt))$/;
const database = `image_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
// A vertical stroke, white on black.
const pixels = Array.from({ length: 784 }, (_, i) => (i % 28 >= 13 && i % 28 <= 15 && i >= 4 * 28 && i < 24 * 28 ? 1 : 0));

/** The iptables rules and chains podman could add (built-in chains left empty do not count), ip_forward, and podman's state outside its store. */
const firewall = () => {
  const lines = ['iptables-save', 'ip6tables-save'].flatMap((tool) => {
    let table = '';
    return (spawnSync(tool, { encoding: 'utf8' }).stdout ?? '').split('\n').flatMap((line) => {
      if (line.startsWith('*')) table = line;
      return /^-A |^:\S+ - /.test(line) ? [`${tool} ${table} ${line.replace(/\[\d+:\d+\]/, '')}`] : [];
    });
  });
  const state = ['/run/containers/networks', '/var/lib/containers/cache'].map((p) => `${p}: ${existsSync(p)}`);
  return [...lines, `ip_forward=${readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim()}`, ...state].join('\n');
};
const firewallAtStart = available ? firewall() : '';

function psql(db: string, sql: string): string {
  const r = spawnSync('psql', ['-h', POSTGRES_HOST, '-p', String(POSTGRES_PORT), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

const predict = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/predict`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ pixels }) });

describe.skipIf(!available)(`the app image, built with podman and run${available ? '' : ' (skipped: needs podman, debootstrap, iptables, root and PostgreSQL)'}`, () => {
  let podman: Podman;
  let created = false;
  let cleaned = false;
  let onPostgres: string; // base URLs of the two running containers
  let embedded: string;
  let gateway: string;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = Math.round((performance.now() - started) / 100) / 10;
    }
  };
  const logs = (name: string) => {
    const r = podman(['logs', name], { allowFailure: true });
    return r.stdout + r.stderr;
  };
  const ready = (base: string, name: string) =>
    waitUntil(async () => (await fetch(`${base}/api/ready`)).status === 200, name, {
      timeoutMs: 90_000,
      ended: () => (podman(['inspect', '--format', '{{.State.Running}}', name]).stdout.trim() === 'true' ? null : `${name} stopped:\n${logs(name)}`),
    });

  beforeAll(async () => {
    podman = createPodman('digit-image-test-');
    psql('postgres', `CREATE DATABASE ${database}`);
    created = true;

    await timed('stand-in base image', () => {
      const r = spawnSync('bash', [path.join(REPO_ROOT, 'deploy/stand-in-base.sh'), path.join(podman.dir, 'base'), BASE], {
        env: { ...process.env, ...podman.env },
        encoding: 'utf8',
        timeout: 240_000,
      });
      if (r.status !== 0) throw new Error(`deploy/stand-in-base.sh failed (${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-3000)}`);
    });
    // A network of the test's own, for the build's RUN steps too (never podman's default one).
    podman(['network', 'create', 'bridged']);
    gateway = podman(['network', 'inspect', '--format', '{{range .Subnets}}{{.Gateway}}{{end}}', 'bridged']).stdout.trim();
    // The docker format keeps the HEALTHCHECK (OCI drops it); --pull=never: the stand-in, never a registry.
    await timed('app image build', () =>
      podman(['build', '--format', 'docker', '--pull=never', '--network', 'bridged', '--target', 'app', '--tag', IMAGE, REPO_ROOT], { timeoutMs: 300_000 }),
    );

    await timed('both containers ready', async () => {
      // On PostgreSQL: the host's network, where PostgreSQL listens on 127.0.0.1.
      const port = await freePort();
      podman(['volume', 'create', 'models']);
      podman([
        'run', '--detach', '--name', 'on-postgres', '--network', 'host', '--volume', 'models:/data/models',
        '--env', `PORT=${port}`, '--env', `DATABASE_URL=postgresql://postgres@${POSTGRES_HOST}:${POSTGRES_PORT}/${database}`,
        '--env', `ADMIN_TOKEN=${TOKEN}`, '--health-interval', 'disable', IMAGE,
      ]);
      onPostgres = `http://127.0.0.1:${port}`;
      // Embedded, on the bridge network, published on loopback only (what HTTP_PORT=127.0.0.1:PORT gives).
      const published = await freePort();
      podman([
        'run', '--detach', '--name', 'embedded', '--network', 'bridged', '--publish', `127.0.0.1:${published}:8787`,
        '--env', 'RATE_LIMIT_PER_MINUTE=3', '--env', `TRUSTED_PROXIES=${gateway}`, '--health-interval', 'disable', IMAGE,
      ]);
      embedded = `http://127.0.0.1:${published}`;
      await Promise.all([ready(onPostgres, 'on-postgres'), ready(embedded, 'embedded')]);
    });
  }, 420_000);

  afterAll(async () => {
    if (created) psql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    if (podman && !cleaned) podman.cleanUp();
    console.log(`image test timings (s): ${JSON.stringify(timings)}`);
  }, 120_000);

  it('is lean: production packages only, one ONNX Runtime build, no source maps or page dependencies', () => {
    const size = (image: string) => Number(podman(['image', 'inspect', '--format', '{{.Size}}', image]).stdout.trim());
    const added = size(IMAGE) - size(BASE);
    console.log(`app image: ${(size(IMAGE) / 1e6).toFixed(0)} MB, ${(added / 1e6).toFixed(1)} MB over the base`);
    expect(added).toBeLessThan(60e6);
    const list = (command: string) =>
      podman(['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', command]).stdout.trim().split('\n').filter(Boolean).sort();
    expect(list('ls node_modules/onnxruntime-web/dist')).toEqual(['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm', 'ort.wasm.bundle.min.mjs']);
    expect(list('ls -d node_modules/solid-js node_modules/vite node_modules/tsx node_modules/vitest 2>/dev/null; find node_modules -name "*.map"')).toEqual([]);
    // The code is bundled; model/ holds only the versions it seeds MODEL_DIR with.
    const shipped = list('ls model');
    expect(shipped).toContain('current.json');
    expect(shipped.filter((f) => !VERSION_FILE.test(f))).toEqual([]);
  });

  it('logs a prediction to PostgreSQL over TCP, and its feedback', async () => {
    const predicted = await predict(onPostgres);
    expect(predicted.status).toBe(200);
    const prediction = (await predicted.json()) as { id: string; digit: number; model: { version: string } };
    expect(psql(database, `SELECT predicted_digit, model_version FROM predictions WHERE id = '${prediction.id}'`)).toBe(
      `${prediction.digit}|${prediction.model.version}`,
    );
    const trueLabel = (prediction.digit + 1) % 10;
    const feedback = await fetch(`${onPostgres}/api/predictions/${prediction.id}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trueLabel }),
    });
    expect(feedback.status).toBe(200);
    expect(psql(database, `SELECT true_label FROM predictions WHERE id = '${prediction.id}'`)).toBe(String(trueLabel));
  });

  it('passes its own healthcheck (the Dockerfile\'s HEALTHCHECK)', () => {
    const r = podman(['healthcheck', 'run', 'on-postgres'], { allowFailure: true });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('runs as node, with the volume seeded with versions only, writable by node, and reloads from it', async () => {
    const exec = (command: string) => podman(['exec', 'on-postgres', 'sh', '-c', command]).stdout.trim();
    expect(exec('id -un')).toBe('node');
    expect(logs('on-postgres')).toContain('seeded /data/models');
    const files = exec('ls -A /data/models').split('\n');
    expect(files).toContain('current.json');
    expect(files.filter((f) => !VERSION_FILE.test(f))).toEqual([]);
    expect(exec('stat -c %U /data/models && touch /data/models/.probe && rm /data/models/.probe && echo writable')).toBe('node\nwritable');
    const reload = await fetch(`${onPostgres}/api/admin/models/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(reload.status).toBe(200);
  });

  it('starts embedded as node on a first start, keeping the PGlite template where node may write', () => {
    const output = logs('embedded');
    expect(output).toContain('database (embedded in /home/node/data)');
    expect(output).not.toMatch(/EACCES|could not keep a template/);
    const template = podman(['exec', 'embedded', 'sh', '-c', 'ls node_modules/.cache/pglite']).stdout;
    expect(template).toMatch(/^fresh-cluster-[\d.]+\.tar\.gz$/m);
  });

  it('behind the bridge gateway, tells clients apart by the X-Forwarded-For of the trusted proxy only', async () => {
    const statuses = async (n: number, headers?: Record<string, string>) => {
      const out = [];
      for (let i = 0; i < n; i++) out.push((await predict(embedded, headers)).status);
      return out;
    };
    // What a reverse proxy on the host looks like from inside: the gateway, not loopback (so limited).
    expect(await statuses(4)).toEqual([200, 200, 200, 429]);
    expect(await statuses(4, { 'x-forwarded-for': '203.0.113.1' })).toEqual([200, 200, 200, 429]);
    expect(await statuses(1, { 'x-forwarded-for': '203.0.113.2' })).toEqual([200]);
    // A client's own X-Forwarded-For is kept to the left of what the proxy appends.
    expect(await statuses(1, { 'x-forwarded-for': '198.51.100.7, 203.0.113.1' })).toEqual([429]);
  });

  it('stops cleanly on SIGTERM, within 10 s', () => {
    const started = performance.now();
    podman(['stop', '--time', '15', 'on-postgres']);
    const seconds = (performance.now() - started) / 1000;
    expect(podman(['inspect', '--format', '{{.State.ExitCode}}', 'on-postgres']).stdout.trim()).toBe('0');
    expect(logs('on-postgres')).toContain('SIGTERM: finishing requests in flight');
    expect(seconds).toBeLessThan(10);
  });

  it('leaves no container, image, volume, network, iptables rule, ip_forward change or podman state behind', () => {
    const dir = podman.dir;
    // While the containers ran, podman's networking had added its rules.
    expect(firewall()).not.toBe(firewallAtStart);
    const failures = podman.cleanUp();
    cleaned = true;
    expect(failures).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    expect(firewall()).toBe(firewallAtStart);
  });
});
