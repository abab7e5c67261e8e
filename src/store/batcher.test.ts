import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.ts';

/** A run function that records its batches and answers when released. */
function recorder(fail: (items: string[]) => boolean = () => false) {
  const batches: string[][] = [];
  const pending: Array<() => void> = [];
  const run = (items: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      pending.push(() =>
        fail(items) ? reject(new Error(`failed: ${items.join(',')}`)) : resolve(items.map((x) => x.toUpperCase())),
      );
    });
  const releaseAll = async () => {
    while (pending.length > 0) {
      pending.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  return { batches, run, releaseAll };
}

describe('createBatcher', () => {
  it('runs the first call at once and gathers the calls that arrive meanwhile into the next batch', async () => {
    const r = recorder();
    const call = createBatcher({ run: r.run, keyOf: (x) => x, maxBatch: 10, maxInFlight: 1 });
    const results = Promise.all(['a', 'b', 'c', 'd'].map(call));
    expect(r.batches).toEqual([['a']]);
    await r.releaseAll();
    expect(await results).toEqual(['A', 'B', 'C', 'D']);
    expect(r.batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('keeps at most maxInFlight batches running and at most maxBatch items in one', async () => {
    const r = recorder();
    const call = createBatcher({ run: r.run, keyOf: (x) => x, maxBatch: 2, maxInFlight: 2 });
    const results = Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map(call));
    expect(r.batches).toEqual([['a'], ['b']]);
    await r.releaseAll();
    expect(await results).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(r.batches.every((b) => b.length <= 2)).toBe(true);
    expect(r.batches.flat().sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('never puts two items with the same key in one batch', async () => {
    const r = recorder();
    const call = createBatcher({ run: r.run, keyOf: (x) => x[0], maxBatch: 10, maxInFlight: 1 });
    const results = Promise.all(['x0', 'a1', 'a2', 'b1', 'a3'].map(call));
    await r.releaseAll();
    expect(await results).toEqual(['X0', 'A1', 'A2', 'B1', 'A3']);
    expect(r.batches).toEqual([['x0'], ['a1', 'b1'], ['a2'], ['a3']]);
  });

  it('runs the items of a failed batch one by one, so only the bad one fails', async () => {
    const r = recorder((items) => items.includes('bad'));
    const call = createBatcher({ run: r.run, keyOf: (x) => x, maxBatch: 10, maxInFlight: 1 });
    const first = call('a');
    const rest = ['b', 'bad', 'c'].map((x) =>
      call(x).then(
        (v) => ({ ok: v }),
        (e: Error) => ({ error: e.message }),
      ),
    );
    await r.releaseAll();
    expect(await first).toBe('A');
    expect(await Promise.all(rest)).toEqual([{ ok: 'B' }, { error: 'failed: bad' }, { ok: 'C' }]);
    expect(r.batches).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });

  it('fails every call of a batch whose result count is wrong, rather than mismatching results', async () => {
    const call = createBatcher<string, string>({
      run: async () => ['only one'],
      keyOf: (x) => x,
      maxBatch: 10,
      maxInFlight: 1,
    });
    const first = call('a');
    const others = Promise.allSettled([call('b'), call('c')]);
    expect(await first).toBe('only one');
    expect((await others).map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });

  it('refuses limits below one', () => {
    expect(() =>
      createBatcher({ run: async (x: string[]) => x, keyOf: (x) => x, maxBatch: 0, maxInFlight: 1 }),
    ).toThrow('at least 1');
  });
});
