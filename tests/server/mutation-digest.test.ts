// A mutation's digest is kept (QUARANTINE_KEEP_DAYS) and compared with a resent mutation's: a server of this version
// must make the very digest an earlier one made, or a tablet's honest retry would be taken for a reused id (409).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutationDigest } from '../../src/server/sync/push';

/** The digest as the first servers made it: SHA-256 (createHash) of the sorted-key JSON without the id, 32 hex digits. */
function referenceDigest(entry: { mutationId: number; [key: string]: unknown }): string {
  const { mutationId: _id, ...content } = entry;
  const canonical = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map((item) => canonical(item ?? null)).join(',')}]`;
    if (value && typeof value === 'object') {
      const keys = Object.keys(value).sort();
      const kept = keys.filter((key) => (value as Record<string, unknown>)[key] !== undefined);
      return `{${kept.map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
    }
    return JSON.stringify(value ?? null);
  };
  return createHash('sha256').update(canonical(content)).digest('hex').slice(0, 32);
}

describe('mutationDigest', () => {
  it('is the digest earlier servers kept, for any mutation (lone surrogates and other odd text included)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    fc.assert(
      fc.property(
        fc.record({ mutationId: fc.integer({ min: 1 }), table: text, id: text, hlc: text, fields: fc.dictionary(text, fc.jsonValue({ maxDepth: 3 })) }),
        (entry) => {
          expect(mutationDigest(entry)).toBe(referenceDigest(entry));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is the same whatever the key order and the id, and differs when the content does', () => {
    const change = { mutationId: 4, table: 'sessions', id: 'log-1', hlc: '0001767000000000-0000-abcdef0123456789', fields: { b: 1, a: 'x' } };
    const reordered = { fields: { a: 'x', b: 1 }, hlc: change.hlc, id: 'log-1', table: 'sessions', mutationId: 9 };
    expect(mutationDigest(reordered)).toBe(mutationDigest(change));
    expect(mutationDigest({ ...change, fields: { a: 'y', b: 1 } })).not.toBe(mutationDigest(change));
    expect(mutationDigest(change)).toMatch(/^[0-9a-f]{32}$/);
  });
});
