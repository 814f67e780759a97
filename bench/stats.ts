// Figures are medians over rounds: each round measures every variant once, side by side.
export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (at least `minRuns` times); mean milliseconds a run. */
export async function timeLoop(fn: () => Promise<unknown>, ms: number, minRuns = 3): Promise<number> {
  let runs = 0;
  const start = performance.now();
  let now = start;
  while (runs < minRuns || now - start < ms) {
    await fn();
    runs++;
    now = performance.now();
  }
  return (now - start) / runs;
}
