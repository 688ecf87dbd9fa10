// pulledChange builds a pulled record in one pass: it must be exactly what withoutWriteOnlyFields and then
// compactClocks made of the stored record before, for any record (notes, odd keys, clocks equal or not).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactClocks, SYNCED_TABLES, type SyncedTable, withoutWriteOnlyFields } from '../../src/protocol';
import type { StoredRecord } from '../../src/server/store/store';
import { pulledChange } from '../../src/server/sync/pull';

/** The pulled record as pull.ts made it before pulledChange. */
function reference(row: StoredRecord, compact: boolean) {
  const visible = withoutWriteOnlyFields({ table: row.table as SyncedTable, id: row.id, fields: row.fields, fieldClocks: row.fieldClocks, hlc: row.hlc });
  return { ...visible, fieldClocks: compact ? (compactClocks(row.hlc, visible.fieldClocks) ?? {}) : visible.fieldClocks };
}

const name = fc.constantFrom('note', 'status', 'topics', '__proto__', 'title', '0', 'deleted');
const clock = fc.constantFrom('c1', 'c2', 'c3');
// Stored records come from JSON text (JSON.parse), so "__proto__" is an own key there as in a database row.
const row = fc
  .record({
    table: fc.constantFrom(...SYNCED_TABLES),
    hlc: clock,
    fields: fc.array(fc.tuple(name, fc.jsonValue({ maxDepth: 1 })), { maxLength: 6 }),
    clocks: fc.array(fc.tuple(name, clock), { maxLength: 6 }),
  })
  .map(
    ({ table, hlc, fields, clocks }): StoredRecord => ({
      orgId: 'org',
      siteId: 'site',
      table,
      id: 'r1',
      hlc,
      seq: 1,
      fields: JSON.parse(`{${fields.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`) as Record<string, unknown>,
      fieldClocks: JSON.parse(`{${clocks.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`) as Record<string, string>,
    }),
  );

/** Everything a tablet could tell apart: the JSON sent, each object's own keys in order, and its prototype. */
function shape(record: { fields: object; fieldClocks: object }) {
  return {
    json: JSON.stringify(record),
    keys: [Object.keys(record), Object.keys(record.fields), Object.keys(record.fieldClocks)],
    prototypes: [Object.getPrototypeOf(record.fields), Object.getPrototypeOf(record.fieldClocks)],
  };
}

describe('pulledChange', () => {
  it('is what withoutWriteOnlyFields and compactClocks made, with and without compact clocks', () => {
    fc.assert(
      fc.property(row, fc.boolean(), (stored, compact) => {
        expect(shape(pulledChange(stored, compact))).toEqual(shape(reference(stored, compact)));
      }),
      { numRuns: 3000 },
    );
  });

  it('sends no note and no note clock back, and only the clocks that differ when compact', () => {
    const stored: StoredRecord = {
      orgId: 'org',
      siteId: 'site',
      table: 'sessions',
      id: 'r1',
      hlc: 'c2',
      seq: 1,
      fields: { status: 'final', note: 'Päivitykset' },
      fieldClocks: { status: 'c1', note: 'c2' },
    };
    expect(pulledChange(stored, true)).toEqual({ table: 'sessions', id: 'r1', hlc: 'c2', fields: { status: 'final' }, fieldClocks: { status: 'c1' } });
    expect(pulledChange(stored, false)).toEqual({ table: 'sessions', id: 'r1', hlc: 'c2', fields: { status: 'final' }, fieldClocks: { status: 'c1' } });
  });
});
