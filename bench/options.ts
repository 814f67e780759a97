// `npm run bench`'s command line: --seconds N (each load run, default 5), --rounds N (default 3),
// --only a,b (of SECTIONS), --no-workerd, --out FILE (default bench/results.json).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from './targets.ts';

export const SECTIONS = ['inference', 'http', 'peer', 'worker-app', 'cold', 'sizes'] as const;

export interface BenchOptions {
  seconds: number;
  rounds: number;
  only: Set<string>;
  /** Off with --no-workerd, or where the Worker's dev server (functions/worker/dev.mjs) is missing. */
  withWorkerd: boolean;
  out: string;
}

export function benchOptions(): BenchOptions {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '5' }, rounds: { type: 'string', default: '3' }, only: { type: 'string' }, 'no-workerd': { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  return {
    seconds: Number(values.seconds),
    rounds: Number(values.rounds),
    only: new Set(values.only ? values.only.split(',') : SECTIONS),
    withWorkerd: !values['no-workerd'] && existsSync(path.join(REPO_ROOT, 'functions/worker/dev.mjs')),
    out: values.out ?? path.join(REPO_ROOT, 'bench/results.json'),
  };
}
