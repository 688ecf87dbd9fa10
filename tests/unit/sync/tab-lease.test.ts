// Without Web Locks, two tabs of the app share one localStorage: the lease lets only one of them sync at a time.
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { LEASE_KEY, LEASE_MS, leaseIsFree, withTabLease } from '../../../src/sync/tab-lease';

beforeEach(() => localStorage.clear());

function later(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('leaseIsFree', () => {
  it('is free when nobody holds it, when the asker holds it, or when it ran out — and only then', () => {
    fc.assert(
      fc.property(
        fc.option(fc.record({ holder: fc.constantFrom('tab-a', 'tab-b'), until: fc.integer({ min: 0, max: 100_000 }) }), { nil: undefined }),
        fc.constantFrom('tab-a', 'tab-b'),
        fc.integer({ min: 0, max: 100_000 }),
        (current, asker, now) => {
          const expected = current === undefined || current.holder === asker || current.until <= now;
          expect(leaseIsFree(current, asker, now)).toBe(expected);
        },
      ),
    );
  });
});

describe('withTabLease', () => {
  it('lets a second tab skip its round while the first one syncs, and take its turn afterwards', async () => {
    const first = later();
    const ran: string[] = [];
    const a = withTabLease(localStorage, 'tab-a', async () => {
      ran.push('a');
      await first.promise;
    });
    await expect(withTabLease(localStorage, 'tab-b', async () => void ran.push('b'))).resolves.toBe(false);
    first.resolve();
    await expect(a).resolves.toBe(true);
    expect(localStorage.getItem(LEASE_KEY)).toBeNull(); // given back
    await expect(withTabLease(localStorage, 'tab-b', async () => void ran.push('b'))).resolves.toBe(true);
    expect(ran).toEqual(['a', 'b']);
  });

  it('takes over a lease its holder let run out (a tab closed mid-sync), and ignores a damaged one', async () => {
    let now = 1_000;
    localStorage.setItem(LEASE_KEY, JSON.stringify({ holder: 'closed-tab', until: now + LEASE_MS }));
    await expect(
      withTabLease(
        localStorage,
        'tab-a',
        async () => undefined,
        () => now,
      ),
    ).resolves.toBe(false);
    now += LEASE_MS;
    await expect(
      withTabLease(
        localStorage,
        'tab-a',
        async () => undefined,
        () => now,
      ),
    ).resolves.toBe(true);
    localStorage.setItem(LEASE_KEY, '{not json');
    await expect(
      withTabLease(
        localStorage,
        'tab-a',
        async () => undefined,
        () => now,
      ),
    ).resolves.toBe(true);
  });

  it('gives the lease back even when the round fails, and runs unguarded without storage', async () => {
    await expect(withTabLease(localStorage, 'tab-a', () => Promise.reject(new Error('network')))).rejects.toThrow('network');
    expect(localStorage.getItem(LEASE_KEY)).toBeNull();
    let ran = false;
    localStorage.setItem(LEASE_KEY, JSON.stringify({ holder: 'tab-b', until: Date.now() + LEASE_MS })); // not this tab's storage
    const leaseDuringWork: (string | null)[] = [];
    const work = async () => void ((ran = true), leaseDuringWork.push(localStorage.getItem(LEASE_KEY)));
    await expect(withTabLease(undefined, 'tab-a', work)).resolves.toBe(true);
    expect(ran).toBe(true);
    expect(leaseDuringWork).toEqual([JSON.stringify({ holder: 'tab-b', until: JSON.parse(leaseDuringWork[0]!).until })]);
  });
});
