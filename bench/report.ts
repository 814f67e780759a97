// The bench's results as markdown tables, the part of the output docs/benchmarks.md quotes.
import type { ColdStartRow } from './cold-start.ts';
import type { HttpResults } from './http-bench.ts';
import type { InferenceRow } from './inference.ts';
import type { Sizes } from './sizes.ts';
import { fixed, kib, markdownTable, mib } from './table.ts';
import type { TargetMet } from './targets-met.ts';
import { workerAppReport, type WorkerAppResult } from './worker-app.ts';

/** The markdown printed after a run: a table for each section measured, then the targets. */
export function report(results: Record<string, unknown>): string {
  const out: string[] = [];
  const inference = results.inference as InferenceRow[] | undefined;
  if (inference) {
    // Blank without the native reference.
    const ratio = (r: InferenceRow) => {
      const native = inference.find((n) => n.model === r.model && n.runtime === 'native-1-thread' && n.batch === r.batch);
      return native ? fixed(r.msPerImage / native.msPerImage, 2) : '';
    };
    out.push('### Inference alone (ms per run, median of rounds)');
    out.push(markdownTable(['model', 'runtime', 'batch', 'ms/run', 'ms/image', 'GMAC/s', 'x native 1 thread'], inference.map((r) => [r.model, r.runtime, r.batch, fixed(r.msPerRun, 3), fixed(r.msPerImage, 3), r.gmacPerS === undefined ? '' : fixed(r.gmacPerS, 1), ratio(r)])));
    if (results.nativeMissing) out.push(`GAP: no native reference: ${results.nativeMissing}`);
  }
  const httpTables = (title: string, http: HttpResults | undefined) => {
    if (!http) return;
    out.push(`### ${title} (autocannon, median of rounds)`);
    out.push(markdownTable(['target', 'body', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'failures'], http.rows.map((r) => [r.target, r.body, r.connections, fixed(r.rps, 0), fixed(r.p50Ms, 0), fixed(r.p99Ms, 0), r.failures])));
    for (const g of http.gaps) out.push(`GAP: ${g.target} not measured: ${g.error}`);
    out.push(`### Server memory (VmRSS), ${title}`);
    out.push(markdownTable(['target', 'at rest (after start)', 'peak during the load runs'], http.memory.map((m) => [m.target, mib(m.restKiB), mib(m.underLoadKiB)])));
  };
  httpTables('POST /api/predict over HTTP', results.http as HttpResults | undefined);
  httpTables('POST /api/predict beside the FastAPI + PyTorch peer', results.peer as HttpResults | undefined);
  if (results.workerApp) out.push(workerAppReport(results.workerApp as WorkerAppResult));
  const cold = results.coldStart as ColdStartRow[] | undefined;
  if (cold) {
    out.push('### Cold start to first 200 from POST /api/predict');
    out.push(markdownTable(['target', 'median ms', 'runs'], cold.map((c) => [c.target, fixed(c.ms, 0), c.runs.map((x) => x.toFixed(0)).join(', ')])));
  }
  const sizes = results.sizes as Sizes | undefined;
  if (sizes) {
    out.push('### Sizes');
    const worker = 'error' in sizes.worker ? `n/a (${sizes.worker.error.split('\n')[0]})` : `${kib(sizes.worker.bytes)} raw, ${kib(sizes.worker.gzipBytes)} gzipped`;
    out.push(markdownTable(['what', 'size'], [
      ['page JS + CSS', `${kib(sizes.frontend.bytes)} raw, ${kib(sizes.frontend.gzipBytes)} gzipped`],
      ['Worker bundle', worker],
      [`model ${sizes.model.file}`, `${sizes.model.bytes} bytes (${kib(sizes.model.bytes)})`],
    ]));
  }
  const targets = results.targets as TargetMet[] | undefined;
  if (targets?.length) {
    out.push('### Targets');
    out.push(markdownTable(['ratio', 'measured', 'target', 'met'], targets.map((t) => [t.name, fixed(t.value, 2), t.target, t.met ? 'yes' : 'NO'])));
  }
  return out.join('\n\n');
}
