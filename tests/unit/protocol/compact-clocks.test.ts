// Compact field clocks on the wire (issue 16): a record clock plus only the clocks that differ from it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactClocks, expandClocks, recordHlc, serializeHlc } from '../../../src/protocol';

const clock = fc.record({ wallMs: fc.integer({ min: 0, max: 3 }), counter: fc.integer({ min: 0, max: 2 }), node: fc.constantFrom('a', 'b') }).map(serializeHlc);
const fieldName = fc.constantFrom('format', 'topics', 'note', 'status', 'updatedAt', 'deleted', 'constructor', 'toString');
/** A record's state as the server and tablets hold it: every field has a clock, the record clock is the latest. */
const state = fc
  .dictionary(fieldName, fc.tuple(fc.jsonValue(), clock))
  .filter((entries) => Object.keys(entries).length > 0)
  .map((entries) => {
    const fields = Object.fromEntries(Object.entries(entries).map(([name, [value]]) => [name, value]));
    const fieldClocks = Object.fromEntries(Object.entries(entries).map(([name, [, at]]) => [name, at]));
    return { fields, fieldClocks, hlc: recordHlc({ fields, fieldClocks }) };
  });

describe('compact field clocks', () => {
  it('expand back to exactly the field clocks they came from', () => {
    fc.assert(
      fc.property(state, ({ fields, fieldClocks, hlc }) => {
        expect(expandClocks(hlc, fields, compactClocks(hlc, fieldClocks))).toEqual(fieldClocks);
        // Through JSON too, as they travel.
        expect(expandClocks(hlc, fields, JSON.parse(JSON.stringify(compactClocks(hlc, fieldClocks) ?? {})))).toEqual(fieldClocks);
      }),
    );
  });

  it('name only the fields written at another clock than the record', () => {
    fc.assert(
      fc.property(state, ({ fieldClocks, hlc }) => {
        const compact = compactClocks(hlc, fieldClocks) ?? {};
        expect(Object.values(compact).every((at) => at !== hlc)).toBe(true);
        expect(Object.keys(compact).length).toBe(Object.values(fieldClocks).filter((at) => at !== hlc).length);
      }),
    );
    expect(compactClocks('c', { format: 'c', topics: 'c' })).toBeUndefined();
  });
});
