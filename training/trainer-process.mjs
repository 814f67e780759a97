// The trainer beside `npm start` (functions/node/start.mjs): python3 -m training.trainer polling this
// server's admin API, where it can run: ADMIN_TOKEN set, TRAINER not "off", and a Python with PyTorch
// (found by python.mjs in the child, so the server never waits for the probe). It runs in a process
// group of its own, ended with the server, retraining included.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PYTHON = fileURLToPath(new URL('./python.mjs', import.meta.url));

/** Why no trainer starts with these settings, or null when one does. */
export function trainerOff(env, port) {
  if (env.TRAINER === 'off') return 'TRAINER=off';
  if (!env.ADMIN_TOKEN) return 'ADMIN_TOKEN is not set';
  if (port === 0) return 'PORT=0 leaves the port unknown';
  return null;
}

export function startTrainer(env, port) {
  const off = trainerOff(env, port);
  if (off) {
    console.log(`trainer not started: ${off}`);
    return;
  }
  const child = spawn(process.execPath, [PYTHON, '-m', 'training.trainer', '--from', `http://127.0.0.1:${port}`], {
    cwd: ROOT,
    env: { ...env, PYTHONPATH: [ROOT, env.PYTHONPATH].filter(Boolean).join(':') },
    stdio: 'inherit',
    detached: true,
  });
  child.once('exit', (status) => console.log(`trainer stopped (${status ?? 'signal'}); retraining jobs wait for another trainer (TRAINER=off to not start one)`));
  process.once('exit', () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // It has ended already.
    }
  });
}
