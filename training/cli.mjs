#!/usr/bin/env node
// The training commands. PyTorch does the learning; the exported ONNX file is then evaluated the way
// the server runs it (ONNX Runtime Web) and that goes into the model card.
//
//   npm run train    [-- train.py options]        train from MNIST, export, make it current
//   npm run quantize -- --from V --version W       the int8 graph of version V as version W, made current
//   npm run retrain  -- --from URL [options]       fine-tune on a server's feedback, gate, roll out
//   npm run rollback [-- --from URL]               back to the previous version (the server's, with --from)
//   npm run versions [-- use N] [--from URL]       list the versions, or make N current (the server's, with --from)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findPython } from './python.mjs';

// The Python side is the package training/ (`python3 -m training.train`): found from any working
// directory through PYTHONPATH, so relative paths in the options still mean what the user typed.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const env = { ...process.env, PYTHONPATH: [ROOT, process.env.PYTHONPATH].filter(Boolean).join(':') };

function run(command, args, { allow = [0] } = {}) {
  const r = spawnSync(command, args, { stdio: 'inherit', env });
  if (!allow.includes(r.status)) process.exit(r.status ?? 1);
  return r.status;
}

const python = findPython();
if (!python) {
  console.error('No Python with torch and numpy found. On Debian: apt-get install python3-torch python3-numpy python3-pil python3-tqdm python3-onnx');
  process.exit(1);
}
const [command, ...args] = process.argv.slice(2);
const { values } = parseArgs({ args, options: { 'out-dir': { type: 'string' }, 'model-dir': { type: 'string' }, from: { type: 'string' }, version: { type: 'string' }, result: { type: 'string' } }, strict: false });
const modelDir = values['out-dir'] ?? values['model-dir'];
const modelDirArgs = modelDir ? ['--model-dir', String(modelDir)] : [];

function evaluate(version) {
  run(process.execPath, ['--import', 'tsx', 'training/evaluate.ts', '--drawn', '--writers', '--write-card',
    ...(version ? ['--version', version] : []), ...modelDirArgs]);
}

// With --from, versions are the server's (its database); the folder follows where it holds the version.
const serverArgs = values.from ? ['--from', String(values.from)] : [];
switch (command) {
  case 'train':
    run(python, ['-m', 'training.train', ...args]);
    evaluate();
    break;
  case 'quantize': {
    run(python, ['-m', 'training.quantize', ...args]);
    evaluate(String(values.version));
    break;
  }
  case 'retrain': {
    // The outcome is read here to roll it out; --result FILE keeps it there too (the trainer reports it).
    const dir = mkdtempSync(join(tmpdir(), 'retrain-'));
    const resultFile = values.result ? String(values.result) : join(dir, 'result.json');
    const status = run(python, ['-m', 'training.retrain', ...args, '--result', resultFile], { allow: [0, 3] });
    const result = JSON.parse(readFileSync(resultFile, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    if (status !== 0) process.exit(status);
    evaluate(result.version);
    run(python, ['-m', 'training.versions', 'use', result.version, ...modelDirArgs, ...serverArgs]);
    break;
  }
  case 'rollback':
    run(python, ['-m', 'training.versions', 'rollback', ...modelDirArgs, ...serverArgs]);
    break;
  case 'versions': {
    // `versions -- use N` makes version N current (publishing it to the server first if it lacks it).
    const which = args[0] === 'use' && args[1] ? ['use', args[1]] : ['list'];
    run(python, ['-m', 'training.versions', ...which, ...modelDirArgs, ...serverArgs]);
    break;
  }
  default:
    console.error('usage: node training/cli.mjs train|quantize|retrain|rollback|versions [options]');
    process.exit(2);
}
