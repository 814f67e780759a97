// training/feedback_policy.py on made-up exports (no model, no server): a flood from one client counts
// as a few rows, a client's rows all train or all gate, held labels stay out unless asked for, and the
// same export always gives the same choice.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPython } from './python.mjs';

const python = findPython();

interface Row {
  id: string;
  trueLabel: number;
  clientHash: string | null;
  heldForReview?: boolean;
  predictedDigit?: number;
  input?: number[];
}
interface Chosen {
  train: string[];
  gate: string[];
  held: string[];
  capped: string[];
  clients: number;
  gateClients: number;
  singleSource: boolean;
}

const SCRIPT = `
import json, sys
from training import feedback_policy
query = json.load(sys.stdin)
s = feedback_policy.select(query["rows"], **query["options"])
ids = lambda rows: [r["id"] for r in rows]
print(json.dumps({"train": ids(s.train), "gate": ids(s.gate), "held": ids(s.held_for_review), "capped": ids(s.capped),
                  "clients": s.clients, "gateClients": s.gate_clients, "singleSource": s.single_source}))
`;

function select(rows: Row[], options: Record<string, unknown> = {}): Chosen {
  const r = spawnSync(python!, ['-c', SCRIPT], {
    input: JSON.stringify({ rows, options: { holdout: 0.2, max_per_client: 50, max_per_client_label: 8, max_per_client_correction: 3, ...options } }),
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: process.cwd() },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

const client = (i: number) => i.toString(16).padStart(64, '0');
/** Ten honest clients with 30 rows each, every label three times. */
const honest: Row[] = Array.from({ length: 300 }, (_, i) => ({ id: `h${i}`, trueLabel: i % 10, clientHash: client(Math.floor(i / 30)) }));
const flood: Row[] = Array.from({ length: 300 }, (_, i) => ({ id: `a${i}`, trueLabel: 1, clientHash: client(99) }));

describe.skipIf(!python && !process.env.CI)('feedback policy', () => {
  it('counts one client’s flood of one label as at most the per-label cap, and keeps every honest row', () => {
    const chosen = select([...honest, ...flood]);
    const used = [...chosen.train, ...chosen.gate];
    expect(used.filter((id) => id.startsWith('a'))).toHaveLength(8);
    expect(used.filter((id) => id.startsWith('h'))).toHaveLength(300);
    expect(chosen.capped).toHaveLength(292);
    expect(chosen.clients).toBe(11);
  });

  it('counts a flood of corrections of one reading as at most the per-correction cap', () => {
    // The served model read these as 7; the client says 1 every time, on 30 drawings of its own.
    const corrections: Row[] = flood.map((r, i) => ({ ...r, predictedDigit: 7, input: [i % 30] }));
    const chosen = select([...honest, ...corrections]);
    const used = new Set([...chosen.train, ...chosen.gate]);
    expect(corrections.filter((r) => used.has(r.id))).toHaveLength(3);
    // Labels that agree with the reading are held to the per-label cap only.
    const confirmations: Row[] = corrections.map((r) => ({ ...r, predictedDigit: 1 }));
    const confirmed = select([...honest, ...confirmations]);
    expect([...confirmed.train, ...confirmed.gate].filter((id) => id.startsWith('a'))).toHaveLength(8);
  });

  it('counts a drawing one client sent more than once as one row', () => {
    const repeats: Row[] = flood.map((r, i) => ({ ...r, trueLabel: i % 10, input: [i % 4] }));
    const chosen = select([...honest, ...repeats]);
    expect([...chosen.train, ...chosen.gate].filter((id) => id.startsWith('a'))).toHaveLength(4);
    // The same drawing from two clients is two rows.
    const other: Row[] = repeats.slice(0, 4).map((r) => ({ ...r, id: `b${r.id}`, clientHash: client(98) }));
    const both = select([...honest, ...repeats, ...other]);
    expect([...both.train, ...both.gate].filter((id) => id.startsWith('ba'))).toHaveLength(4);
  });

  it('caps a client’s rows in all, whatever their labels', () => {
    const many: Row[] = Array.from({ length: 200 }, (_, i) => ({ id: `m${i}`, trueLabel: i % 10, clientHash: client(50) }));
    const chosen = select([...honest, ...many]);
    expect([...chosen.train, ...chosen.gate].filter((id) => id.startsWith('m'))).toHaveLength(50);
  });

  it('puts all of a client’s rows on one side: some clients gate, never all', () => {
    const chosen = select([...honest, ...flood]);
    const side = new Map<string, Set<string>>();
    const all = [...honest, ...flood];
    for (const [name, ids] of [['train', chosen.train], ['gate', chosen.gate]] as const) {
      for (const id of ids) {
        const c = all.find((r) => r.id === id)!.clientHash!;
        side.set(c, (side.get(c) ?? new Set()).add(name));
      }
    }
    expect([...side.values()].every((s) => s.size === 1)).toBe(true);
    expect(chosen.gateClients).toBeGreaterThanOrEqual(1);
    expect(chosen.gateClients).toBeLessThan(chosen.clients);
    expect(chosen.gate.length).toBeGreaterThan(0);
  });

  it('splits a lone client’s rows by row, uncapped, and says the gate is not independent of them', () => {
    const lone: Row[] = Array.from({ length: 1000 }, (_, i) => ({ id: `l${i}`, trueLabel: i % 10, clientHash: null }));
    const chosen = select(lone);
    expect(chosen.singleSource).toBe(true);
    expect(chosen.capped).toEqual([]);
    expect(chosen.train.length + chosen.gate.length).toBe(1000);
    expect(chosen.gate.length).toBeGreaterThan(150);
    expect(chosen.gate.length).toBeLessThan(250);
    expect(chosen.train.filter((id) => chosen.gate.includes(id))).toEqual([]);
    // A second client is enough for the split by client and the caps to apply.
    expect(select([...lone, ...honest.slice(0, 30)]).singleSource).toBe(false);
  });

  it('leaves labels held for review out unless asked to include them', () => {
    const rows = honest.map((r, i) => (i < 5 ? { ...r, heldForReview: true } : r));
    const chosen = select(rows);
    expect(chosen.held.sort()).toEqual(['h0', 'h1', 'h2', 'h3', 'h4']);
    expect([...chosen.train, ...chosen.gate]).not.toContain('h0');
    const included = select(rows, { include_held: true });
    expect(included.held).toEqual([]);
    expect([...included.train, ...included.gate]).toContain('h0');
  });

  it('counts rows without a client as one client, and chooses the same from the export in any order', () => {
    const old: Row[] = Array.from({ length: 40 }, (_, i) => ({ id: `o${i}`, trueLabel: i % 10, clientHash: null }));
    const a = select([...honest, ...old]);
    const b = select([...old, ...honest].reverse());
    expect(a.clients).toBe(11);
    expect(new Set(a.train)).toEqual(new Set(b.train));
    expect(new Set(a.gate)).toEqual(new Set(b.gate));
  });
});
