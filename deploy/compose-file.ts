// Reads docker-compose.yml the way Compose does (validated and interpolated by `docker-compose config`
// when it is installed), so tests can check it and boot the same topology natively.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
export const COMPOSE_FILE = `${REPO_ROOT}docker-compose.yml`;

export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  environment?: Record<string, string | number | null>;
  ports?: unknown[];
  volumes?: unknown[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  restart?: string;
  profiles?: string[];
  command?: string[] | string;
}
export interface ComposeConfig {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** True when Debian's `docker-compose` (v1, validates without an engine) is on PATH. */
export function dockerComposeAvailable(): boolean {
  return spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
}

/** `docker-compose config`: validates the file and prints it interpolated; throws with its message if invalid. */
export function composeConfig(env: Record<string, string>): ComposeConfig {
  const r = spawnSync('docker-compose', ['-f', COMPOSE_FILE, 'config'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`docker-compose config failed: ${r.stderr || r.error?.message}`);
  // Its output escapes `$` as `$$` again; read it back the way Compose would.
  return unescapeDollars(parse(r.stdout)) as ComposeConfig;
}

/** The file read directly, with the `${NAME}`, `${NAME:-default}` and `${NAME:?message}` forms Compose interpolates. */
export function readComposeFile(env: Record<string, string>): ComposeConfig {
  const text = readFileSync(COMPOSE_FILE, 'utf8').replace(
    /\$\$|\$\{(\w+)(?::([-?])([^}]*))?\}/g,
    (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (!name) return whole; // `$$`, unescaped below
      const value = env[name];
      if (value) return value;
      if (op === '?') throw new Error(`${name}: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    },
  );
  return unescapeDollars(parse(text)) as ComposeConfig;
}

function unescapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$$', '$');
  if (Array.isArray(value)) return value.map(unescapeDollars);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDollars(v)]));
  return value;
}
