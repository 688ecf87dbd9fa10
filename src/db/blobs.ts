// Owns the pictures of own guides on the tablet: each stored once by the SHA-256 of its bytes, shared by every step
// that shows it, and collected when no step can use it any more.
//
// Collection keeps a picture while any of these still points at it:
//  - a step that is not deleted;
//  - a step deleted less than KEEP_DELETED_PICTURES_MS ago (its Undo, or a guide's, may still bring it back);
//  - a change in the outbox (sync uploads a picture before the change that names it, so it must still be here).
import Dexie from 'dexie';
import { sha256Hex } from '../lib/sha256';
import type { BlobType } from '../protocol';
import { db } from './db';

/** Far longer than any Undo on screen: a deleted step's picture is kept this long after the delete. */
export const KEEP_DELETED_PICTURES_MS = 24 * 60 * 60 * 1000;

/** Blob → bytes in every environment the app and its tests run in. */
export async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

/** Writes the picture unless a picture with the same hash is already stored (then it keeps its upload state). */
export async function putPictureOnce(hash: string, type: BlobType, bytes: Uint8Array): Promise<void> {
  const database = db();
  await database.transaction('rw', database.blobs, async () => {
    if (await database.blobs.get(hash)) return;
    await database.blobs.add({ hash, type, bytes: new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), size: bytes.byteLength, uploaded: 0 });
  });
}

/** Keeps a picture added on this tablet under its hash (once), to be uploaded, and returns the hash that steps refer to it by. */
export async function saveNewPicture(bytes: Uint8Array, type: BlobType): Promise<string> {
  const hash = await sha256Hex(bytes);
  await putPictureOnce(hash, type, bytes);
  return hash;
}

export async function readPicture(hash: string): Promise<{ hash: string; type: string; bytes: Uint8Array } | undefined> {
  const row = await db().blobs.get(hash);
  return row ? { hash, type: row.type, bytes: await bytesOf(row.bytes) } : undefined;
}

/** Which of these pictures are already on the tablet. */
export async function storedPictureHashes(hashes: readonly string[]): Promise<Set<string>> {
  const found = await db()
    .blobs.where('hash')
    .anyOf([...hashes])
    .primaryKeys();
  return new Set(found);
}

/** Deletes every picture nothing can use any more (see the top of this file); returns their hashes. */
export async function collectUnusedPictures(now = Date.now(), keepDeletedForMs = KEEP_DELETED_PICTURES_MS): Promise<string[]> {
  const database = db();
  return database.transaction('rw', [database.blobs, database.guideSteps, database.outbox], async () => {
    const keep = new Set<string>();
    await database.guideSteps
      .where('imageHash')
      .above('')
      .each((step) => {
        if (step.imageHash && (!step.deleted || now - step.updatedAt < keepDeletedForMs)) keep.add(step.imageHash);
      });
    await database.outbox
      .where('[table+recordId]')
      .between(['guideSteps', Dexie.minKey], ['guideSteps', Dexie.maxKey])
      .each((entry) => {
        const hash = entry.fields.imageHash;
        if (typeof hash === 'string') keep.add(hash);
      });
    const unused = (await database.blobs.toCollection().primaryKeys()).filter((hash) => !keep.has(hash));
    await database.blobs.bulkDelete(unused);
    return unused;
  });
}

/** Adds pictures (already hashed and checked) that are not stored yet; for a caller's open transaction over blobs. */
export async function putPicturesInTransaction(pictures: readonly { hash: string; type: BlobType; bytes: Uint8Array }[]): Promise<void> {
  const database = db();
  for (const picture of pictures) {
    if (await database.blobs.get(picture.hash)) continue;
    await database.blobs.add({
      hash: picture.hash,
      type: picture.type,
      bytes: new Blob([picture.bytes as Uint8Array<ArrayBuffer>], { type: picture.type }),
      size: picture.bytes.byteLength,
      uploaded: 0,
    });
  }
}
