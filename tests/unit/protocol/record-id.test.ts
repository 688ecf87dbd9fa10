// The ids tablets give new records: UUID version 7, accepted by the protocol, in the order they were made.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordId } from '../../../src/protocol';
import { timeOrderedId } from '../../../src/protocol/record-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const time = fc.integer({ min: 0, max: 2 ** 48 - 1 });
const bytes = fc.uint8Array({ minLength: 10, maxLength: 10 });

describe('a new record id', () => {
  it('is a UUID version 7 that the protocol accepts as a record id', () => {
    fc.assert(
      fc.property(time, bytes, (now, random) => {
        const id = timeOrderedId(now, random);
        expect(id).toMatch(UUID_V7);
        expect(recordId.safeParse(id).success).toBe(true);
      }),
    );
  });

  it('sorts after every id made earlier, whatever their random parts', () => {
    fc.assert(
      fc.property(time, time, bytes, bytes, (a, b, randomA, randomB) => {
        fc.pre(a !== b);
        const [earlier, later] = a < b ? [a, b] : [b, a];
        expect(timeOrderedId(earlier, a < b ? randomA : randomB) < timeOrderedId(later, a < b ? randomB : randomA)).toBe(true);
      }),
    );
  });

  it('holds the time it was made in its first 48 bits, and its random bytes in the rest', () => {
    const id = timeOrderedId(Date.UTC(2026, 11, 3, 12), Uint8Array.from([0xff, 0x01, 0xff, 0x02, 3, 4, 5, 6, 7, 8]));
    expect(id).toBe(
      `${Date.UTC(2026, 11, 3, 12)
        .toString(16)
        .padStart(12, '0')
        .replace(/^(.{8})/, '$1-')}-7f01-bf02-030405060708`,
    );
  });

  it('is different each time within one millisecond, from crypto', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => timeOrderedId(1_767_000_000_000)));
    expect(ids.size).toBe(1000);
  });

  it('makes a wrong clock (before 1970, not a number, past 48 bits) a clamped time, never a broken id', () => {
    for (const now of [-5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) expect(timeOrderedId(now)).toMatch(UUID_V7);
    expect(timeOrderedId(-5).startsWith('00000000-0000-7')).toBe(true);
    expect(timeOrderedId(2 ** 60).startsWith('ffffffff-ffff-7')).toBe(true);
  });
});
