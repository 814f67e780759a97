import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { createLoader } from './loader';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createLoader', () => {
  it('keeps only the newest answer and the last good value through an error', async () => {
    const pending: ReturnType<typeof deferred<number>>[] = [];
    const loader = createRoot(() =>
      createLoader(() => {
        const d = deferred<number>();
        pending.push(d);
        return d.promise;
      }),
    );
    const first = loader.reload();
    const second = loader.reload();
    expect(loader.loading()).toBe(true);
    pending[1].resolve(2);
    pending[0].resolve(1); // the slow older answer arrives last and must not win
    await Promise.all([first, second]);
    expect(loader.data()).toBe(2);
    expect(loader.loading()).toBe(false);

    const third = loader.reload();
    pending[2].reject(new Error('database down'));
    await third;
    expect(loader.error()).toBe('database down');
    expect(loader.data()).toBe(2);

    const fourth = loader.reload();
    pending[3].resolve(4);
    await fourth;
    expect(loader.error()).toBe('');
    expect(loader.data()).toBe(4);
  });
});
