// Guide-pack zip bombs (issue 12.6): a pack file of about 1 MB whose directory claims a small pack.json but whose
// data inflates to 1 GiB is refused after a few kilobytes of work and a few megabytes of memory, in plain words, with
// nothing changed; a file too big to be a pack is refused before it is read.
import { Deflate, inflateSync, strToU8 } from 'fflate';
import { describe, expect } from 'vitest';
import { db } from '../../../src/db/db';
import { it } from '../support/database';
import { PACK_LIMITS, PackError } from '../../../src/guides/packs/format';
import { readPack } from '../../../src/guides/packs/pack-zip';
import { unzipPack, type UnzipMeter, type UnzipProgress } from '../../../src/guides/packs/unzip';
import { bombStream, concat, zipOfOne } from './zip-bomb';

const MiB = 1024 * 1024;

describe('a guide-pack zip bomb', () => {
  const copies = Math.ceil(2 ** 30 / 258);
  const bomb = zipOfOne('pack.json', bombStream(copies), 1_000);

  it('is a real bomb: about 1 MB that inflates to 1 GiB', () => {
    expect(bomb.byteLength).toBeLessThan(1.1 * MiB);
    const sample = inflateSync(bombStream(10_000)); // the same block with fewer copies
    expect(sample.length).toBe(1 + 258 * 10_000);
    expect(sample.every((byte) => byte === 0)).toBe(true);
    expect(1 + 258 * copies).toBeGreaterThanOrEqual(2 ** 30);
  });

  it('is refused after a few kilobytes of input and a few megabytes of output, never inflated whole', () => {
    const meter: UnzipMeter = { compressedRead: 0, inflated: 0 };
    const progress: UnzipProgress[] = [];
    const memoryBefore = process.memoryUsage().arrayBuffers;
    let error: unknown;
    try {
      unzipPack(bomb, (p) => progress.push(p), meter);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PackError);
    expect((error as PackError).code).toBe('sizeLie');
    // Work and memory are bounded by one 1 KB piece of input (DEFLATE grows at most ~1,032-fold), not by the 1 GiB.
    expect(meter.compressedRead).toBeLessThanOrEqual(1024);
    expect(meter.inflated).toBeLessThanOrEqual(1.1 * MiB);
    expect(process.memoryUsage().arrayBuffers - memoryBefore).toBeLessThan(16 * MiB);
    expect(progress.every((p) => p.done <= p.total && p.total === 1_000)).toBe(true);
  });

  it('gets the plain-words error through the import, and the tablet is unchanged', async () => {
    const before = await db().guides.count();
    await expect(readPack(bomb)).rejects.toMatchObject({ code: 'sizeLie' });
    expect(await db().guides.count()).toBe(before);
    expect(await db().blobs.count()).toBe(0);
  });

  it('refuses a file too big to be a pack before reading its directory', () => {
    const huge = new Uint8Array(PACK_LIMITS.fileBytes + 1); // not even a zip: the size alone decides
    expect(() => unzipPack(huge)).toThrow(expect.objectContaining({ code: 'fileTooBig' }));
  });

  it('unpacks an honest pack exactly, telling its progress up to the whole', () => {
    const json = strToU8(JSON.stringify({ format: 'digituki-guide-pack', text: 'x'.repeat(300_000) }));
    const parts: Uint8Array[] = [];
    const deflate = new Deflate({ level: 6 }, (chunk) => parts.push(chunk));
    deflate.push(json, true);
    const progress: UnzipProgress[] = [];
    const files = unzipPack(zipOfOne('pack.json', concat(parts), json.length), (p) => progress.push(p));
    expect(Buffer.from(files['pack.json']!).equals(Buffer.from(json))).toBe(true);
    expect(progress.at(-1)).toEqual({ done: json.length, total: json.length });
    expect(progress.length).toBeLessThanOrEqual(102);
  });
});
