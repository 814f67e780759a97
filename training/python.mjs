#!/usr/bin/env node
// Runs a training/ script with a Python that has PyTorch and numpy.
// Debian's python3-torch lives in /usr/bin/python3, which a pyenv or venv python3 earlier on PATH
// would hide, so the interpreter is chosen explicitly: $PYTHON, else the first candidate with torch.
import { spawnSync } from 'node:child_process';

export function findPython({ need = ['torch', 'numpy'] } = {}) {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  const probe = need.map((m) => `import ${m}`).join('; ') || 'pass';
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', probe], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const py = findPython();
  if (!py) {
    console.error('No Python with torch and numpy found. On Debian: apt-get install python3-torch python3-numpy python3-pil');
    process.exit(1);
  }
  const r = spawnSync(py, process.argv.slice(2), { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
