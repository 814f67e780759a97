// The deployment scripts: valid shell, clean under shellcheck, and make-env.sh writes fresh secrets once.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './compose-file.ts';

const scripts = readdirSync(path.join(REPO_ROOT, 'deploy')).filter((f) => f.endsWith('.sh')).map((f) => `deploy/${f}`);
const shellcheck = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).status === 0;
if (!shellcheck && process.env.CI) throw new Error('CI is set but shellcheck is not installed');

describe('deploy/*.sh', () => {
  it.each(scripts)('%s parses and is executable', (script) => {
    expect(spawnSync('bash', ['-n', script], { cwd: REPO_ROOT }).status).toBe(0);
    expect(statSync(path.join(REPO_ROOT, script)).mode & 0o100).not.toBe(0);
  });

  it.skipIf(!shellcheck)('pass shellcheck', () => {
    const r = spawnSync('shellcheck', scripts, { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.stdout, r.stdout).toBe('');
  });
});

describe('deploy/make-env.sh', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'make-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(path.join(dir, 'deploy'));
  cpSync(path.join(REPO_ROOT, 'deploy/make-env.sh'), path.join(dir, 'deploy/make-env.sh'));
  cpSync(path.join(REPO_ROOT, '.env.example'), path.join(dir, '.env.example'));
  const run = () => spawnSync('bash', [path.join(dir, 'deploy/make-env.sh')], { encoding: 'utf8' });
  const read = () => Object.fromEntries(readFileSync(path.join(dir, '.env'), 'utf8').split('\n').filter((l) => /^\w+=/.test(l)).map((l) => l.split('=', 2)));

  it('fills every empty secret of .env.example with a random one, readable by the owner only', () => {
    expect(run().status).toBe(0);
    const env = read();
    expect(env.POSTGRES_PASSWORD).toMatch(/^[0-9a-f]{48}$/);
    expect(env.ADMIN_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    expect(env.HTTP_PORT).toBe('80');
    expect(statSync(path.join(dir, '.env')).mode & 0o077).toBe(0);
    // Every variable of the example is in .env, none left empty.
    const example = readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8').match(/^\w+(?==)/gm)!;
    expect(Object.keys(env).sort()).toEqual([...example].sort());
    expect(Object.values(env).every(Boolean)).toBe(true);
  });

  it('keeps an existing .env (its password is the database volume\'s)', () => {
    writeFileSync(path.join(dir, '.env'), 'POSTGRES_PASSWORD=kept\n');
    expect(run().status).toBe(0);
    expect(read()).toEqual({ POSTGRES_PASSWORD: 'kept' });
  });
});

describe('deploy/up.sh (what deploy.sh and cloud-init run on the server)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-up-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is what both run after an update', () => {
    expect(readFileSync(path.join(REPO_ROOT, 'deploy/deploy.sh'), 'utf8')).toMatch(/&& deploy\/up\.sh"$/m);
    expect(readFileSync(path.join(REPO_ROOT, 'deploy/cloud-init.yaml'), 'utf8')).toMatch(/^\s+"\$DIR\/deploy\/up\.sh"$/m);
  });

  it('builds the trainer as well as the app before restarting, which `up --build` alone would not', () => {
    for (const f of ['deploy/up.sh', 'deploy/make-env.sh', '.env.example']) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      cpSync(path.join(REPO_ROOT, f), path.join(dir, f));
    }
    // No Docker engine here: `docker` records what it is asked to do.
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'bin/docker'), `#!/bin/sh\necho "$*" >> "${dir}/docker.log"\n`, { mode: 0o755 });
    const r = spawnSync('bash', [path.join(dir, 'deploy/up.sh')], { env: { ...process.env, PATH: `${dir}/bin:${process.env.PATH}` }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const calls = readFileSync(path.join(dir, 'docker.log'), 'utf8').trim().split('\n');
    expect(calls).toEqual(['compose --profile train build', 'compose up -d --remove-orphans', 'compose ps']);
    expect(statSync(path.join(dir, '.env')).isFile()).toBe(true);
  });
});
