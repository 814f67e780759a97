// Processes the benchmarks start and watch: spawning with a deadline, resident memory from /proc,
// and a process's descendants (wrangler dev runs workerd as a child).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** VmRSS of `pid` in KiB, from /proc/PID/status; undefined once the process is gone. */
export function rssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Every live descendant of `pid` with its command name (from /proc/PID/stat). */
export function descendants(pid: number): { pid: number; name: string }[] {
  const children = new Map<number, { pid: number; name: string }[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push({ pid: Number(entry), name });
      children.set(ppid, list);
    } catch {
      // The process ended while the list was read.
    }
  }
  const out: { pid: number; name: string }[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c.pid);
    }
  };
  walk(pid);
  return out;
}

/** Samples `read()` every `everyMs` until stopped; returns the largest value seen. */
export function sampleMax(read: () => number | undefined, everyMs = 100): { stop(): number | undefined } {
  let max: number | undefined;
  const take = () => {
    const v = read();
    if (v !== undefined && (max === undefined || v > max)) max = v;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return max;
    },
  };
}

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** A reason once the process has ended, else null. */
  ended(): string | null;
  stop(): Promise<void>;
}

export function spawnLogged(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; keepStdout?: boolean }): Spawned {
  // Request log lines go to /dev/null unless asked for: a pipe nobody reads would fill and stall the server.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr!.on('data', keep);
  let endReason: string | null = null;
  child.once('error', (e) => (endReason = e.message));
  child.once('exit', (code, signal) => (endReason ??= `exited (${code ?? signal}): ${output.slice(-2000)}`));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { child, output: () => output, ended: () => endReason, stop };
}
