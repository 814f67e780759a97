import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.ts';

/** A run function that records its batches and answers when told to. */
function controlledRun() {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  const run = (items: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push(items);
      pending.push(() => (items.includes(-1) ? reject(new Error(`refused ${items}`)) : resolve(items.map((x) => x * 10))));
    });
  const finishNext = async () => {
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { run, batches, pending, finishNext };
}

describe('createBatcher', () => {
  it('sends a lone call at once, without waiting for company', async () => {
    const c = controlledRun();
    const insert = createBatcher(c.run, { maxInFlight: 1, maxItems: 10 });
    const a = insert(1);
    expect(c.batches).toEqual([[1]]);
    await c.finishNext();
    await expect(a).resolves.toBe(10);
  });

  it('groups calls that arrive while a batch is in flight, and answers each with its own result', async () => {
    const c = controlledRun();
    const insert = createBatcher(c.run, { maxInFlight: 1, maxItems: 10 });
    const results = [1, 2, 3, 4].map((x) => insert(x));
    expect(c.batches).toEqual([[1]]);
    await c.finishNext();
    expect(c.batches).toEqual([[1], [2, 3, 4]]);
    await c.finishNext();
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30, 40]);
  });

  it('answers no caller before its own batch has finished', async () => {
    const c = controlledRun();
    const insert = createBatcher(c.run, { maxInFlight: 1, maxItems: 10 });
    let secondDone = false;
    void insert(1);
    void insert(2).then(() => (secondDone = true));
    await c.finishNext();
    expect(secondDone).toBe(false);
    await c.finishNext();
    expect(secondDone).toBe(true);
  });

  it('keeps at most maxInFlight batches of at most maxItems', async () => {
    const c = controlledRun();
    const insert = createBatcher(c.run, { maxInFlight: 2, maxItems: 2 });
    const all = Promise.all([1, 2, 3, 4, 5, 6, 7].map((x) => insert(x)));
    expect(c.batches).toEqual([[1], [2]]);
    await c.finishNext();
    expect(c.batches).toEqual([[1], [2], [3, 4]]);
    while (c.pending.length) await c.finishNext();
    expect(c.batches.every((b) => b.length <= 2)).toBe(true);
    expect(c.batches.flat().sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await expect(all).resolves.toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('retries a failed batch one item at a time, so only the bad item fails', async () => {
    const c = controlledRun();
    const insert = createBatcher(c.run, { maxInFlight: 1, maxItems: 10 });
    const first = insert(1);
    const group = [2, -1, 3].map((x) => insert(x).then((v) => ({ v }), (e: Error) => ({ e: e.message })));
    while (c.pending.length) await c.finishNext();
    await expect(first).resolves.toBe(10);
    await expect(Promise.all(group)).resolves.toEqual([{ v: 20 }, { e: 'refused -1' }, { v: 30 }]);
  });

  it('fails every caller of a batch at once when retrySingly says no', async () => {
    const calls: number[][] = [];
    const insert = createBatcher(
      async (items: number[]) => {
        calls.push(items);
        if (calls.length > 1) throw new Error('database down');
        await new Promise((r) => setTimeout(r, 5));
        return items;
      },
      { maxInFlight: 1, maxItems: 10, retrySingly: () => false },
    );
    const first = insert(1);
    const rest = [2, 3].map((x) => insert(x).catch((e: Error) => e.message));
    await expect(first).resolves.toBe(1);
    await expect(Promise.all(rest)).resolves.toEqual(['database down', 'database down']);
    expect(calls).toEqual([[1], [2, 3]]);
  });

  it('goes on after a failed batch', async () => {
    let fail = true;
    const insert = createBatcher(async (items: number[]) => {
      if (fail) throw new Error('once');
      return items;
    }, { maxInFlight: 1, maxItems: 10, retrySingly: () => false });
    await expect(insert(1)).rejects.toThrow('once');
    fail = false;
    await expect(insert(2)).resolves.toBe(2);
  });
});
