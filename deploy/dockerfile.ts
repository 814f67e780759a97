// The build stage of the Dockerfile as data: its ENV and RUN instructions, so a test can run exactly
// those commands on a clean checkout.
import { readFileSync } from 'node:fs';
import { REPO_ROOT } from './compose-file.ts';

export interface Stage {
  name: string;
  env: Record<string, string>;
  runs: string[];
}

export function readStages(text = readFileSync(`${REPO_ROOT}Dockerfile`, 'utf8')): Stage[] {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim());
  const stages: Stage[] = [];
  for (const line of lines) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?$/i.exec(line);
    if (from) {
      stages.push({ name: from[1] ?? String(stages.length), env: {}, runs: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    const env = /^ENV\s+(.*)$/i.exec(line);
    if (env) for (const [, k, v] of env[1].matchAll(/(\w+)=(\S+)/g)) stage.env[k] = v;
    const run = /^RUN\s+(.*)$/i.exec(line);
    if (run) stage.runs.push(run[1]);
  }
  return stages;
}
