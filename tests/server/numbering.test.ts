// Mutation ids out of order: the server applies nothing and says which id it expects, so the tablet can number again.
import { expect } from 'vitest';
import { describeEachBackend, type Backend } from './support/backends';
import { GUIDE, change } from './support/world';

describeEachBackend('mutation ids out of order', (_backend: Backend, it) => {
  it('answers 400 with the id it expects next, applies nothing, and takes the same changes numbered from there', async ({ world }) => {
    const { a1, a1b } = world;
    await a1.push([change(a1, 'guides', 'g1', GUIDE), change(a1, 'guides', 'g2', GUIDE)]);
    // Old ids 7 and 8 left ahead of a new 1: what a tablet closed between two steps of an older app sends.
    const mixed = [7, 8, 1].map((mutationId, n) => ({ ...change(a1, 'guides', `late${n}`, GUIDE), mutationId }));
    const refused = await a1.push(mixed);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'bad_request', expected: 3 });
    expect((await a1b.pullAll()).changes.map((c) => c.id).sort()).toEqual(['g1', 'g2']);
    const renumbered = mixed.map((mutation, n) => ({ ...mutation, mutationId: 3 + n }));
    expect((await a1.push(renumbered)).body).toMatchObject({ lastMutationId: 5, applied: 3 });
  });
});
