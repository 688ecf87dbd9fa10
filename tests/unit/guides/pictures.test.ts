// Pictures of own guides: named by their SHA-256, stored once however many steps show them, and collected only
// when nothing (a step, an Undo, the outbox) can use them any more. Plus the size maths of the picture pipeline.
import { Blob as NodeBlob } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { collectUnusedPictures, KEEP_DELETED_PICTURES_MS, readPicture, saveNewPicture } from '../../../src/db/blobs';
import { deleteRecord, restoreRecord, saveRecord } from '../../../src/db/changes';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { nextBatch } from '../../../src/db/sync';
import { firstThatFits, fitWithin, MAX_SIDE_PX, TARGET_BYTES } from '../../../src/guides/editor/picture';

// happy-dom's Blob loses its bytes in IndexedDB's structured clone (a browser's does not); Node's keeps them.
globalThis.Blob = NodeBlob as unknown as typeof Blob;

const photo = (seed: number, length = 2000) => Uint8Array.from({ length }, (_, i) => (i * 31 + seed * 7) % 256);

describe('de-duplication', () => {
  it('stores the same picture once, shared by two steps, with its bytes intact and waiting for upload', async () => {
    const bytes = photo(1);
    const first = await saveNewPicture(bytes, 'image/jpeg');
    const second = await saveNewPicture(bytes.slice(), 'image/jpeg');
    expect(second).toBe(first);
    await saveRecord('guideSteps', 'step-1', { guideId: 'g1', orderKey: 'V', kind: 'step', text: 'a', alt: 'x', imageHash: first });
    await saveRecord('guideSteps', 'step-2', { guideId: 'g1', orderKey: 'W', kind: 'step', text: 'b', alt: 'x', imageHash: second });
    expect(await db().blobs.count()).toBe(1);
    const stored = await db().blobs.get(first);
    expect(stored).toMatchObject({ hash: first, type: 'image/jpeg', size: bytes.byteLength, uploaded: 0 });
    expect((await readPicture(first))!.bytes).toEqual(bytes);
    expect(await db().guideSteps.where('imageHash').equals(first).count()).toBe(2);
  });

  it('keeps the upload state of a picture that is stored again', async () => {
    const hash = await saveNewPicture(photo(2), 'image/png');
    await db().blobs.update(hash, { uploaded: 1 });
    await saveNewPicture(photo(2), 'image/png');
    expect((await db().blobs.get(hash))!.uploaded).toBe(1);
  });
});

describe('collecting pictures no step uses', () => {
  async function stepWith(id: string, hash: string | null, now: number) {
    await saveRecord('guideSteps', id, { guideId: 'g1', orderKey: 'V', kind: 'step', text: '', alt: 'x', imageHash: hash }, now);
  }
  // Sync pushes the outbox; here the pushed changes are simply gone from it.
  const pushed = () => db().outbox.clear();

  it('collects a replaced picture but keeps the one still shown by another step', async () => {
    const a = await saveNewPicture(photo(3), 'image/webp');
    const b = await saveNewPicture(photo(4), 'image/webp');
    await stepWith('s1', a, 1_000);
    await stepWith('s2', a, 1_000);
    await pushed();
    await stepWith('s1', b, 2_000); // s1 gets a new picture; s2 still shows a
    await pushed();
    expect(await collectUnusedPictures(3_000)).toEqual([]);
    await stepWith('s2', b, 4_000);
    await pushed();
    expect(await collectUnusedPictures(5_000)).toEqual([a]);
    expect(await db().blobs.toCollection().primaryKeys()).toEqual([b]);
  });

  it('keeps a deleted step’s picture while the delete can be undone, and collects it after', async () => {
    const a = await saveNewPicture(photo(5), 'image/webp');
    await stepWith('s1', a, 1_000);
    await pushed();
    await deleteRecord('guideSteps', 's1', 10_000);
    await pushed();
    expect(await collectUnusedPictures(10_001)).toEqual([]);
    await restoreRecord('guideSteps', 's1', 10_002); // Undo: the picture is still there
    expect((await readPicture(a))!.bytes).toEqual(photo(5));
    await deleteRecord('guideSteps', 's1', 20_000);
    await pushed();
    expect(await collectUnusedPictures(20_000 + KEEP_DELETED_PICTURES_MS - 1)).toEqual([]);
    expect(await collectUnusedPictures(20_000 + KEEP_DELETED_PICTURES_MS)).toEqual([a]);
  });

  it('keeps a picture that a change waiting in the outbox names, so sync can still upload it first', async () => {
    const a = await saveNewPicture(photo(6), 'image/webp');
    const b = await saveNewPicture(photo(7), 'image/webp');
    await stepWith('s1', a, 1_000);
    await nextBatch(db(), 10, { org: '', site: '' }); // the change to `a` is numbered for a push that has not been answered
    await stepWith('s1', b, 2_000); // waits in a row of its own: the change to `a` still waits too
    expect(await collectUnusedPictures(3_000)).toEqual([]);
    await pushed();
    expect(await collectUnusedPictures(3_000)).toEqual([a]);
  });
});

describe('picture size maths', () => {
  it('fits any picture within 1600 px on its longest side, keeping proportions and never enlarging', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 1, max: 20_000 }), (width, height) => {
        const out = fitWithin(width, height);
        expect(Math.max(out.width, out.height)).toBeLessThanOrEqual(MAX_SIDE_PX);
        expect(out.width).toBeLessThanOrEqual(width);
        expect(out.height).toBeLessThanOrEqual(height);
        if (Math.max(width, height) <= MAX_SIDE_PX) expect(out).toEqual({ width, height });
        else expect(Math.abs(out.width / out.height - width / height)).toBeLessThan(Math.max(1 / out.height, 1 / out.width) * (width / height + 1) + 1e-9);
      }),
    );
    expect(fitWithin(4032, 3024)).toEqual({ width: 1600, height: 1200 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1200, height: 1600 });
    expect(() => fitWithin(0, 10)).toThrow();
  });

  it('takes the best quality that fits 300 KB, else the smallest tried', () => {
    expect(firstThatFits([{ size: 500_000 }, { size: 290_000 }, { size: 100_000 }])).toEqual({ size: 290_000 });
    expect(firstThatFits([{ size: 900_000 }, { size: 400_000 }])).toEqual({ size: 400_000 });
    expect(firstThatFits([{ size: TARGET_BYTES }])).toEqual({ size: TARGET_BYTES });
  });
});
