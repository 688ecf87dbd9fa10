import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOrderKey, keyBetween, keysFor } from '../../../src/lib/order-key';

describe('order keys', () => {
  it('makes a key between any two neighbours', () => {
    expect(keyBetween(null, null)).toBe('V');
    const a = keyBetween(null, null);
    const b = keyBetween(a, null);
    const c = keyBetween(a, b);
    expect(a < c && c < b).toBe(true);
    expect(keyBetween('A', 'B') > 'A').toBe(true);
    expect(keyBetween('A', 'B') < 'B').toBe(true);
  });

  it('refuses neighbours given out of order', () => {
    expect(() => keyBetween('b', 'a')).toThrow();
    expect(() => keyBetween('a', 'a')).toThrow();
  });

  it('spreads keys for a new list in order', () => {
    const keys = keysFor(9);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(9);
  });

  it('keeps every list in order with valid, short keys under many random moves', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 300 }), (moves) => {
        const list = keysFor(8);
        for (const [from, to] of moves) {
          const [moved] = list.splice(from % list.length, 1);
          const at = to % (list.length + 1);
          const key = keyBetween(list[at - 1] ?? null, list[at] ?? null);
          expect(moved).toBeDefined();
          list.splice(at, 0, key);
          expect(isOrderKey(key)).toBe(true);
        }
        expect([...list].sort()).toEqual(list);
        expect(new Set(list).size).toBe(list.length);
      }),
      { numRuns: 200 },
    );
  });

  it('stays short when steps are always added at the front or the end', () => {
    const list = keysFor(5);
    for (let i = 0; i < 500; i += 1) list.unshift(keyBetween(null, list[0]!));
    for (let i = 0; i < 500; i += 1) list.push(keyBetween(list[list.length - 1]!, null));
    expect([...list].sort()).toEqual(list);
    expect(Math.max(...list.map((k) => k.length))).toBeLessThanOrEqual(12);
  });
});
