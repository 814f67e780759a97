// The ratios the bench is held to (v2 against v1, WASM against native, logging against none, the app
// against the FastAPI peer), each measured in the same run and marked met or not.
import type { HttpResults, HttpRow } from './http-bench.ts';
import { MATMUL, type InferenceRow } from './inference.ts';
import { peerTargets } from './peer-compare.ts';

/** The first model, the baseline later versions are timed against. */
const V1 = 'digit-cnn-v1';

export interface TargetMet {
  name: string;
  value: number;
  target: string;
  met: boolean;
}

/** Each target whose measurements this run has; none for sections not run. */
export function targetsMet(results: Record<string, unknown>): TargetMet[] {
  const out: TargetMet[] = [];
  const inference = results.inference as InferenceRow[] | undefined;
  const served = results.servedModel as string | undefined;
  const msPerImage = (model: string, runtime: string, batch: number) => inference?.find((r) => r.model === model && r.runtime === runtime && r.batch === batch)?.msPerImage ?? NaN;
  if (inference && served && served !== V1) {
    // v2 was to cost at most 0.4x v1's inference time, in the same run.
    const value = msPerImage(served, 'wasm', 1) / msPerImage(V1, 'wasm', 1);
    out.push({ name: `${served} / ${V1}, WASM batch 1`, value, target: '<= 0.4', met: value <= 0.4 });
  }
  if (inference && served && !results.nativeMissing) {
    for (const batch of [1, 64]) {
      const value = msPerImage(served, 'wasm', batch) / msPerImage(served, 'native-1-thread', batch);
      out.push({ name: `WASM / native (1 thread), batch ${batch}`, value, target: '<= 1.5', met: value <= 1.5 });
    }
    // Not a target but its floor: no model runs closer to native than the runtime's own MatMul.
    const floor = msPerImage(MATMUL, 'wasm', 1) / msPerImage(MATMUL, 'native-1-thread', 1);
    out.push({ name: `WASM / native (1 thread), bare ${MATMUL} (the runtimes' floor)`, value: floor, target: '<= 1.5', met: floor <= 1.5 });
  }
  const http = results.http as { rows: HttpRow[] } | undefined;
  if (http) {
    for (const body of ['json', 'png'] as const) {
      const rps = (target: string) => http.rows.find((r) => r.target === target && r.body === body && r.connections === 64)?.rps ?? NaN;
      const value = rps('postgres') / rps('noop');
      out.push({ name: `predict ${body} @64: PostgreSQL logging / logging off`, value, target: '>= 0.5', met: value >= 0.5 });
    }
  }
  const peer = results.peer as HttpResults | undefined;
  if (peer) out.push(...peerTargets(peer.rows));
  return out;
}
