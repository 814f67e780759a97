// The process helpers every integration test and the bench rely on: what a failed start reports, that
// stop() escalates and reaches a whole group, and how a child's environment is built.
import { describe, expect, it } from 'vitest';
import { definedEnv, portAnswers, runToEnd, spawnProcess, startProcess } from './processes.ts';

const here = { cwd: process.cwd(), env: process.env };
const named = { ...here, what: 'the child' };
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('definedEnv', () => {
  it('merges left to right and drops the names whose value is undefined', () => {
    expect(definedEnv({ A: '1', B: '2', C: '3' }, { B: undefined, D: '4' }, { C: 'x' })).toEqual({ A: '1', C: 'x', D: '4' });
  });
});

describe('runToEnd', () => {
  it('resolves with the exit status and stdout and stderr apart, the event loop free meanwhile', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const r = await runToEnd(process.execPath, ['-e', `console.log('out'); console.error('err'); setTimeout(() => process.exit(3), 200)`]);
    clearInterval(timer);
    expect(r).toEqual({ status: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(ticks).toBeGreaterThan(5);
  });

  it('says so when the command cannot be run', async () => {
    const r = await runToEnd('/nonexistent/command', []);
    expect(r.status).toBeNull();
    expect(r.stderr).toMatch(/ENOENT/);
  });
});

describe('startProcess', () => {
  it('resolves once ready holds, with the output so far and the time it took', async () => {
    let polls = 0;
    const started = await startProcess(process.execPath, ['-e', `console.log('up'); setInterval(() => {}, 1000)`], {
      ...named,
      ready: async () => ++polls >= 3,
      everyMs: 20,
    });
    try {
      expect(started.readyAfterMs).toBeGreaterThanOrEqual(40);
      await expect.poll(() => started.output()).toContain('up');
      expect(started.ended()).toBeNull();
    } finally {
      expect(await started.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    }
    expect(started.ended()).toBe('exited (SIGTERM)');
  });

  it('fails with what exited, its code and the end of its output when it dies first', async () => {
    const script = `console.error('no database'); process.exit(3)`;
    await expect(startProcess(process.execPath, ['-e', script], { ...named, ready: async () => false })).rejects.toThrow(
      /^the child exited \(3\) before it was ready:\nno database/,
    );
  });

  it('stops a process that never gets ready and fails with its output', async () => {
    const script = `console.log(process.pid); setInterval(() => {}, 1000)`;
    const error = await startProcess(process.execPath, ['-e', script], { ...named, ready: async () => false, timeoutMs: 300 }).then(
      () => new Error('it started'),
      (e: Error) => e,
    );
    expect(error.message).toMatch(/^the child: timed out after 300 ms:\n\d+/);
    expect(alive(Number(error.message.split('\n')[1]))).toBe(false);
  });

  it('says so when the command cannot be run', async () => {
    await expect(
      startProcess('/nonexistent/websockify', [], { ...here, what: 'websockify', ready: async () => true }),
    ).rejects.toThrow(/^websockify could not be run \(.*ENOENT.*\) before it was ready/);
  });
});

describe('stop', () => {
  it('sends SIGKILL after the grace period to a process that ignores SIGTERM', async () => {
    const script = `process.on('SIGTERM', () => {}); console.log('armed'); setInterval(() => {}, 1000)`;
    const child = spawnProcess(process.execPath, ['-e', script], { ...here, graceMs: 300 });
    await expect.poll(() => child.output()).toContain('armed');
    const started = performance.now();
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('with group, reaches the children the process forked', async () => {
    // The parent starts a child that listens on a port, then prints the port.
    const script = `
      const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, ['-e', "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => console.log(s.address().port))"], { stdio: ['ignore', 'pipe', 'inherit'] });
      c.stdout.pipe(process.stdout);
      setInterval(() => {}, 1000);`;
    const parent = spawnProcess(process.execPath, ['-e', script], { ...here, group: true });
    await expect.poll(() => /^\d+$/m.test(parent.output())).toBe(true);
    const port = Number(parent.output().trim());
    expect(await portAnswers(port)).toBe(true);
    await parent.stop();
    await expect.poll(() => portAnswers(port)).toBe(false);
  });
});
