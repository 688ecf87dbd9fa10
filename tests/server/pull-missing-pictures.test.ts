// The pull names pictures its records refer to that the organisation lacks, so a tablet with the bytes can upload them.
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { describeEachBackend, type Backend } from './support/backends';
import { GUIDE, change } from './support/world';

const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
]);
const HASH = createHash('sha256').update(PNG).digest('hex');
const OTHER = 'b'.repeat(64);

describeEachBackend('pictures named by the pull', (_backend: Backend, it) => {
  it('lists the pictures a page refers to that the organisation lacks, and stops once it has them', async ({ world }) => {
    const { a1, a1b, b1 } = world;
    const step = { guideId: 'g1', orderKey: 'V', kind: 'step', text: 'Paina nappia.', alt: 'Nappi', deleted: 0 };
    await a1.push([
      change(a1, 'guides', 'g1', GUIDE),
      change(a1, 'guideSteps', 's1', { ...step, imageHash: HASH }),
      change(a1, 'guideSteps', 's2', { ...step, imageHash: OTHER, deleted: 1 }),
    ]);
    const before = await a1b.pull();
    expect(before.body.missingBlobs).toEqual([HASH]); // a deleted step's picture is not asked for
    // Another organisation that has the same picture does not make it this organisation's.
    const elsewhere = await b1.request(`/v1/blobs/${HASH}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: PNG });
    expect(elsewhere.status).toBe(201);
    expect((await a1b.pull()).body.missingBlobs).toEqual([HASH]);
    const upload = await a1b.request(`/v1/blobs/${HASH}`, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: PNG });
    expect(upload.status).toBe(201);
    const after = await a1b.pull();
    expect(after.body.changes).toHaveLength(3);
    expect(after.body).not.toHaveProperty('missingBlobs'); // optional: absent when nothing is missing
  });
});
