// Per-field last-writer-wins: every tablet and the server reach the same record whatever order changes arrive in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyState, mergeRecords, recordHlc, serializeHlc, stateOfMutation, type RecordState } from '../../../src/protocol';

const fieldName = fc.constantFrom('title', 'summary', 'tags', 'deleted', 'orderKey');
const value = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -3, max: 3 }), fc.constant(null), fc.array(fc.constantFrom('a', 'b'), { maxLength: 2 }));
// Few distinct clocks so that ties (same clock, different value) are exercised too.
const hlc = fc.record({ wallMs: fc.integer({ min: 0, max: 5 }), counter: fc.integer({ min: 0, max: 2 }), node: fc.constantFrom('tab-a', 'tab-b') }).map(serializeHlc);
const mutation = fc.record({ fields: fc.dictionary(fieldName, value, { maxKeys: 3 }), hlc });
const state: fc.Arbitrary<RecordState> = fc.array(mutation, { maxLength: 4 }).map((ms) => ms.reduce<RecordState>((s, m) => mergeRecords(s, stateOfMutation(m.fields, m.hlc)), { fields: {}, fieldClocks: {} }));

describe('per-field last-writer-wins merge', () => {
  it('is commutative', () => {
    fc.assert(fc.property(state, state, (a, b) => {
      expect(mergeRecords(a, b)).toEqual(mergeRecords(b, a));
    }));
  });

  it('is associative', () => {
    fc.assert(fc.property(state, state, state, (a, b, c) => {
      expect(mergeRecords(mergeRecords(a, b), c)).toEqual(mergeRecords(a, mergeRecords(b, c)));
    }));
  });

  it('is idempotent', () => {
    fc.assert(fc.property(state, state, (a, b) => {
      expect(mergeRecords(a, a)).toEqual(a);
      const once = mergeRecords(a, b);
      expect(mergeRecords(once, b)).toEqual(once);
    }));
  });

  it('gives the same record for the same mutations in any order, with repeats', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }).chain((ms) => fc.tuple(fc.constant(ms), fc.shuffledSubarray([...ms, ...ms], { minLength: ms.length * 2 }))), ([inOrder, shuffled]) => {
        const fold = (list: typeof inOrder) => list.reduce<RecordState>((s, m) => applyState(s, stateOfMutation(m.fields, m.hlc)).state, { fields: {}, fieldClocks: {} });
        expect(fold(shuffled)).toEqual(fold(inOrder));
      }),
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
