// Per-field last-writer-wins: every tablet and the server reach the same record whatever order changes arrive in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyState, mergePulled, mergeRecords, recordHlc, serializeHlc, stateOfMutation, type RecordState } from '../../../src/protocol';

const fieldName = fc.constantFrom('title', 'summary', 'tags', 'deleted', 'orderKey');
const value = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -3, max: 3 }), fc.constant(null), fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }));
// Few distinct clocks so that ties (same clock, different value) are exercised too.
const hlc = fc
  .record({ wallMs: fc.integer({ min: 0, max: 5 }), counter: fc.integer({ min: 0, max: 2 }), node: fc.constantFrom('tab-a', 'tab-b') })
  .map(serializeHlc);
const mutation = fc.record({ fields: fc.dictionary(fieldName, value, { maxKeys: 3 }), hlc });
const state: fc.Arbitrary<RecordState> = fc
  .array(mutation, { maxLength: 4 })
  .map((ms) => ms.reduce<RecordState>((s, m) => mergeRecords(s, stateOfMutation(m.fields, m.hlc)), { fields: {}, fieldClocks: {} }));

describe('per-field last-writer-wins merge', () => {
  it('is commutative', () => {
    fc.assert(
      fc.property(state, state, (a, b) => {
        expect(mergeRecords(a, b)).toEqual(mergeRecords(b, a));
      }),
    );
  });

  it('is associative', () => {
    fc.assert(
      fc.property(state, state, state, (a, b, c) => {
        expect(mergeRecords(mergeRecords(a, b), c)).toEqual(mergeRecords(a, mergeRecords(b, c)));
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(state, state, (a, b) => {
        expect(mergeRecords(a, a)).toEqual(a);
        const once = mergeRecords(a, b);
        expect(mergeRecords(once, b)).toEqual(once);
      }),
    );
  });

  it('gives the same record for the same mutations in any order, with repeats', () => {
    fc.assert(
      fc.property(
        fc
          .array(mutation, { minLength: 1, maxLength: 8 })
          .chain((ms) => fc.tuple(fc.constant(ms), fc.shuffledSubarray([...ms, ...ms], { minLength: ms.length * 2 }))),
        ([inOrder, shuffled]) => {
          const fold = (list: typeof inOrder) =>
            list.reduce<RecordState>((s, m) => applyState(s, stateOfMutation(m.fields, m.hlc)).state, { fields: {}, fieldClocks: {} });
          expect(fold(shuffled)).toEqual(fold(inOrder));
        },
      ),
    );
  });

  it('keeps each field from its own latest writer', () => {
    const early = serializeHlc({ wallMs: 1, counter: 0, node: 'tab-a' });
    const late = serializeHlc({ wallMs: 2, counter: 0, node: 'tab-b' });
    const a = stateOfMutation({ title: 'Kela liite', summary: 'old' }, late);
    const b = stateOfMutation({ summary: 'new', title: 'ignored' }, early);
    const merged = mergeRecords(a, stateOfMutation({ summary: 'newest' }, serializeHlc({ wallMs: 3, counter: 0, node: 'tab-a' })));
    expect(mergeRecords(merged, b).fields).toEqual({ title: 'Kela liite', summary: 'newest' });
  });

  it('treats a delete as one more field: a later edit of it brings the record back', () => {
    const created = stateOfMutation({ title: 'WhatsApp photo', deleted: 0 }, serializeHlc({ wallMs: 1, counter: 0, node: 'a' }));
    const deleted = applyState(created, stateOfMutation({ deleted: 1 }, serializeHlc({ wallMs: 2, counter: 0, node: 'b' })));
    expect(deleted.changedFields).toEqual(['deleted']);
    expect(deleted.state.fields).toEqual({ title: 'WhatsApp photo', deleted: 1 });
    const restored = applyState(deleted.state, stateOfMutation({ deleted: 0 }, serializeHlc({ wallMs: 3, counter: 0, node: 'a' })));
    expect(restored.state.fields.deleted).toBe(0);
    expect(recordHlc(restored.state)).toBe(serializeHlc({ wallMs: 3, counter: 0, node: 'a' }));
  });

  it('reports no change when an old mutation arrives again', () => {
    const current = stateOfMutation({ title: 'x' }, serializeHlc({ wallMs: 5, counter: 0, node: 'a' }));
    expect(applyState(current, stateOfMutation({ title: 'y' }, serializeHlc({ wallMs: 4, counter: 0, node: 'a' }))).changedFields).toEqual([]);
  });
});

// The tablet's side of the same rule: a pulled record (the server's whole state) merged into the local copy while
// some local fields may still wait in the outbox.
describe('merging a pulled record into the local copy', () => {
  const unsent = fc.subarray(['title', 'summary', 'tags', 'deleted', 'orderKey']).map((names) => new Set(names));

  it("with nothing unsent, takes the server's copy and keeps only fields the server has never seen", () => {
    fc.assert(
      fc.property(state, state, (local, pulled) => {
        const merged = mergePulled(local, pulled, new Set());
        for (const name of Object.keys(pulled.fieldClocks)) {
          expect(merged.fieldClocks[name]).toBe(pulled.fieldClocks[name]);
          expect(merged.fields[name]).toEqual(pulled.fields[name] ?? null);
        }
        for (const name of Object.keys(local.fieldClocks)) if (!(name in pulled.fieldClocks)) expect(merged.fieldClocks[name]).toBe(local.fieldClocks[name]);
      }),
    );
  });

  it('with every local field unsent, is the plain field-by-field merge', () => {
    fc.assert(
      fc.property(state, state, (local, pulled) => {
        expect(mergePulled(local, pulled, new Set(Object.keys(local.fieldClocks)))).toEqual(mergeRecords(local, pulled));
      }),
    );
  });

  it('is idempotent: the same page pulled twice changes nothing', () => {
    fc.assert(
      fc.property(state, state, unsent, (local, pulled, waiting) => {
        const once = mergePulled(local, pulled, waiting);
        expect(mergePulled(once, pulled, waiting)).toEqual(once);
      }),
    );
  });

  it('lets an unsent local field win only by its clock, never lose a later local edit', () => {
    fc.assert(
      fc.property(state, state, unsent, (local, pulled, waiting) => {
        const merged = mergePulled(local, pulled, waiting);
        for (const name of waiting) {
          if (!(name in local.fieldClocks)) continue;
          const later = !(name in pulled.fieldClocks) || local.fieldClocks[name]! > pulled.fieldClocks[name]!;
          if (later) expect(merged.fields[name]).toEqual(local.fields[name] ?? null);
        }
      }),
    );
  });

  it('ends where the server ends, once nothing is unsent, whatever the tablet held before', () => {
    fc.assert(
      fc.property(state, state, state, (local, first, change) => {
        const later = mergeRecords(first, change); // the server's next state of the record
        const stepwise = mergePulled(mergePulled(local, first, new Set()), later, new Set());
        const direct = mergePulled(local, later, new Set());
        expect(stepwise).toEqual(direct);
      }),
    );
  });
});
