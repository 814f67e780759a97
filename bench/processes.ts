// Watching the processes the benchmarks start (functions/testing/processes.ts starts them): resident
// memory from /proc, and a process's descendants (wrangler dev runs workerd as a child).
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
