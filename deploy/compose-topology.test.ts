// docker-compose.yml checked by Compose itself, then its topology booted natively: PostgreSQL set up as
// the db service is, and the real server (`npm start`) with exactly the environment the file gives `app`
// (over TCP to db, no proxy), hosts and ports mapped to local ones.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  POSTGRES_HOST,
  POSTGRES_PORT,
  postgresAvailable,
  startServer,
  type TestServer,
} from '../functions/node/testing.ts';
import { composeConfig, dockerComposeAvailable, readComposeFile, REPO_ROOT, type ComposeConfig } from './compose-file.ts';

const secrets = { POSTGRES_PASSWORD: randomBytes(12).toString('hex'), ADMIN_TOKEN: randomBytes(12).toString('hex') };
const composeInstalled = dockerComposeAvailable();
if (!composeInstalled && process.env.CI) throw new Error('CI is set but docker-compose is not installed');
const config: ComposeConfig = composeInstalled ? composeConfig(secrets) : readComposeFile(secrets);
const { app, db, trainer } = config.services;
const env = (service: { environment?: Record<string, unknown> }) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));

function psql(database: string, sql: string): string {
  const r = spawnSync('psql', ['-h', POSTGRES_HOST, '-p', String(POSTGRES_PORT), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

/** The app's one published port, `[ADDRESS:]HOST:CONTAINER[/tcp]` or Compose's long form. */
function appPort(service = app): { address?: string; published: number; target: number } {
  const port = service.ports?.[0] as string | { host_ip?: string; published: number | string; target: number | string };
  if (typeof port !== 'string') return { address: port.host_ip, published: Number(port.published), target: Number(port.target) };
  const parts = port.replace(/\/tcp$/, '').split(':');
  const [target, published, address] = parts.reverse();
  return { ...(address ? { address } : {}), published: Number(published), target: Number(target) };
}

describe('docker-compose.yml', () => {
  it.skipIf(!composeInstalled)('is accepted by docker-compose config, and refused without POSTGRES_PASSWORD', () => {
    expect(() => composeConfig({ ADMIN_TOKEN: 'x', POSTGRES_PASSWORD: '' })).toThrow(/POSTGRES_PASSWORD/);
  });

  it.skipIf(!composeInstalled)('reads the same settings without docker-compose (the local fallback)', () => {
    const direct = readComposeFile(secrets);
    for (const name of Object.keys(config.services)) expect(env(direct.services[name])).toEqual(env(config.services[name]));
    expect(() => readComposeFile({ ADMIN_TOKEN: 'x', POSTGRES_PASSWORD: '' })).toThrow(/POSTGRES_PASSWORD/);
  });

  it('publishes only the app, restarts every long-running service, and starts the app after a healthy db', () => {
    expect(app.ports?.length).toBe(1);
    expect(appPort()).toEqual({ published: 80, target: Number(env(app).PORT) });
    for (const name of ['db', 'trainer']) expect(config.services[name].ports ?? []).toEqual([]);
    for (const s of [app, db]) expect(s.restart).toBe('unless-stopped');
    expect(app.depends_on?.db.condition).toBe('service_healthy');
    expect(JSON.stringify(db.healthcheck?.test)).toContain('pg_isready');
    expect(db.environment?.POSTGRES_PASSWORD).toBe(secrets.POSTGRES_PASSWORD);
  });

  it.skipIf(!composeInstalled)('publishes on one address when HTTP_PORT names it (a bare port is every address)', () => {
    const local = composeConfig({ ...secrets, HTTP_PORT: '127.0.0.1:8080' }).services.app;
    expect(appPort(local)).toEqual({ address: '127.0.0.1', published: 8080, target: 8787 });
    expect(appPort().address ?? '0.0.0.0').toBe('0.0.0.0');
  });

  it('runs the trainer only under the train profile, on the app\'s model volume, with the admin token', () => {
    expect(trainer.profiles).toEqual(['train']);
    const modelVolume = (s: typeof app) => s.volumes?.map(String).find((v) => v.startsWith('model:'))?.split(':')[1];
    expect(modelVolume(trainer)).toBe(env(app).MODEL_DIR);
    expect(modelVolume(app)).toBe(env(app).MODEL_DIR);
    expect(env(trainer).MODEL_DIR).toBe(env(app).MODEL_DIR);
    expect(env(trainer).ADMIN_TOKEN).toBe(secrets.ADMIN_TOKEN);
    expect((trainer.command as string[]).join(' ')).toBe(`npm run retrain -- --from http://app:8787 --model-dir ${env(app).MODEL_DIR}`);
  });

  it('keeps the volume apart from the code: no volume is mounted where the images keep their files', () => {
    for (const service of [app, trainer]) {
      for (const volume of service.volumes?.map(String) ?? []) expect(volume.split(':')[1]).not.toMatch(/^\/app(\/|$)/);
    }
    expect(env(app).TRUSTED_PROXIES).toBe('');
  });
});

describe('the compose topology, booted natively', async () => {
  const available = await postgresAvailable();
  const appEnv = env(app);
  const url = new URL(appEnv.DATABASE_URL);
  const database = `${url.pathname.slice(1)}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  let server: TestServer | undefined;
  let created = false;
  const modelDir = mkdtempSync(path.join(tmpdir(), 'compose-models-'));

  beforeAll(async () => {
    if (!available) return;
    // The db service creates POSTGRES_DB on first start; here a database of its own per run.
    psql('postgres', `CREATE DATABASE ${database}`);
    created = true;
    expect([url.hostname, url.port]).toEqual(['db', '5432']);
    url.hostname = POSTGRES_HOST;
    url.port = String(POSTGRES_PORT);
    url.pathname = `/${database}`;
    // The volume as the image's entrypoint fills it on a first start, from the shipped versions.
    const seeded = spawnSync('sh', [path.join(REPO_ROOT, 'deploy/seed-models.sh'), 'true'], {
      env: { ...process.env, MODEL_DIR: modelDir, MODEL_SEED_DIR: path.join(REPO_ROOT, 'model') },
      encoding: 'utf8',
    });
    expect(seeded.status, seeded.stderr).toBe(0);
    // Versions only: the code (model/*.ts), its tests and fixtures stay in the image.
    expect(readdirSync(modelDir).filter((f) => !/^(current\.json|.*\.(onnx|card\.json|pt))$/.test(f))).toEqual([]);
    expect(readdirSync(modelDir)).toContain('current.json');
    // PORT is the only setting left to startServer, which gives the server a free local port.
    const { PORT: containerPort, ...rest } = appEnv;
    expect(containerPort).toBe(String(appPort().target));
    server = await startServer({
      env: { ...rest, DATABASE_URL: url.toString(), MODEL_DIR: modelDir },
    });
  });

  afterAll(async () => {
    await server?.stop();
    if (created) psql('postgres', `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(modelDir, { recursive: true, force: true });
  });

  it.skipIf(!available)('maps the app to the db service\'s database, over TCP with no proxy between', () => {
    expect(new URL(appEnv.DATABASE_URL).pathname).toBe(`/${env(db).POSTGRES_DB}`);
    expect(new URL(appEnv.DATABASE_URL).password).toBe(env(db).POSTGRES_PASSWORD);
    expect(appEnv).not.toHaveProperty('DATABASE_WS_PROXY');
    expect(Object.keys(config.services).sort()).toEqual(['app', 'db', 'trainer', 'trainer-loop']);
  });

  it.skipIf(!available)('serves predict, feedback and history, and the rows land in PostgreSQL', async () => {
    const base = server!.url;
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    // A vertical stroke, white on black.
    const pixels = Array.from({ length: 784 }, (_, i) => (i % 28 >= 13 && i % 28 <= 15 && i >= 4 * 28 && i < 24 * 28 ? 1 : 0));
    const predicted = await fetch(`${base}/api/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pixels }),
    });
    expect(predicted.status).toBe(200);
    const prediction = (await predicted.json()) as { id: string; digit: number; model: { version: string } };
    const trueLabel = (prediction.digit + 1) % 10;
    const feedback = await fetch(`${base}/api/predictions/${prediction.id}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trueLabel }),
    });
    expect(feedback.status).toBe(200);
    const history = (await (await fetch(`${base}/api/predictions?limit=5`)).json()) as { items: { digit: number; trueLabel: number | null }[] };
    expect(history.items).toEqual([expect.objectContaining({ digit: prediction.digit, trueLabel })]);
    expect(history.items[0]).not.toHaveProperty('id');

    const row = psql(database, `SELECT predicted_digit, true_label, model_version FROM predictions WHERE id = '${prediction.id}'`);
    expect(row).toBe(`${prediction.digit}|${trueLabel}|${prediction.model.version}`);
    expect(psql(database, 'SELECT count(*) FROM predictions')).toBe('1');
  });
});
