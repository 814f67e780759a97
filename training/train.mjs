#!/usr/bin/env node
// `npm run train [-- train.py options]`: trains and exports in PyTorch, regenerates the drawn-digit
// set, then evaluates the exported ONNX file the way the server runs it and records that in the card.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { findPython } from './python.mjs';

export const DRAWN_DIR = '.training-cache/drawn-eval';

function run(command, args) {
  const r = spawnSync(command, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const python = findPython();
if (!python) {
  console.error('No Python with torch and numpy found. On Debian: apt-get install python3-torch python3-numpy python3-pil python3-tqdm');
  process.exit(1);
}
const args = process.argv.slice(2);
const { values } = parseArgs({ args, options: { 'out-dir': { type: 'string' } }, strict: false });
run(python, ['training/train.py', ...args]);
run(python, ['training/drawn_digits.py', '--out', DRAWN_DIR]);
run(process.execPath, ['--import', 'tsx', 'training/evaluate.ts', '--drawn', DRAWN_DIR, '--write-card',
  ...(values['out-dir'] ? ['--model-dir', String(values['out-dir'])] : [])]);
