// A push numbered by firstMutationId (issue 16): the mutations get consecutive ids in the order sent and keep every
// key as sent (a "__proto__" key included, for the server's own check to refuse); giving both or neither is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberedMutations } from '../../../src/protocol';

const mutations = fc.array(
  fc.record({ table: fc.constantFrom('sessions', 'guides'), id: fc.uuid() }).map((m): { mutationId?: number; table: string; id: string } => m),
  {
    minLength: 1,
    maxLength: 20,
  },
);

describe('numbering a push by its first id', () => {
  it('gives ids first, first + 1, … in order and keeps each mutation as sent (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), mutations, (first, sent) => {
        const result = numberedMutations({ firstMutationId: first }, sent);
        if (!('mutations' in result)) throw new Error(result.problem);
        expect(result.mutations.map((m) => m.mutationId)).toEqual(sent.map((_, index) => first + index));
        expect(result.mutations.map(({ mutationId: _, ...rest }) => rest)).toEqual(sent);
      }),
    );
  });

  it('keeps a "__proto__" key as an own key, so the push checks can refuse it', () => {
    const sent = JSON.parse('[{"table":"sessions","id":"a","__proto__":{"x":1}}]') as { mutationId?: number }[];
    const result = numberedMutations({ firstMutationId: 7 }, sent);
    if (!('mutations' in result)) throw new Error(result.problem);
    expect(Object.hasOwn(result.mutations[0]!, '__proto__')).toBe(true);
    expect(result.mutations[0]!.mutationId).toBe(7);
  });

  it('takes ids as sent without firstMutationId, and refuses both or neither in plain words', () => {
    expect(numberedMutations({}, [{ mutationId: 3 }, { mutationId: 4 }])).toEqual({ mutations: [{ mutationId: 3 }, { mutationId: 4 }] });
    expect(numberedMutations({ firstMutationId: 1 }, [{ mutationId: 1 }])).toEqual({
      problem: 'give firstMutationId or each mutation its mutationId, not both',
    });
    expect(numberedMutations({}, [{ mutationId: 1 }, {}])).toEqual({ problem: 'every mutation needs its mutationId (or give firstMutationId and none)' });
  });
});
