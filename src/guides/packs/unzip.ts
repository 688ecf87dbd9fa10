// Owns unpacking a pack zip without trusting it: the file's size first, then the zip's directory (names, counts,
// sizes) before anything is inflated, then each file inflated in small pieces while counting, stopped the moment it
// grows past the size the directory declared. A zip bomb costs a few kilobytes of work, never a frozen tablet.
// Runs in the unzip worker (unzip.worker.ts); imports fflate and the pack's limits only.
import { Inflate } from 'fflate';
import { PACK_JSON, PACK_LIMITS, PackError, PICTURE_NAME } from './limits';

/** Compressed bytes handed to the inflater at a time: one piece grows at most ~1,032-fold, so to about 1 MB at most. */
const PIECE_BYTES = 1024;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

/** A name a zip must never hold: climbing out (..), absolute, Windows separators or drive letters, control characters. */
export function isUnsafeName(name: string): boolean {
  return (
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[A-Za-z]:/.test(name) ||
    name.split('/').some((part) => part === '..' || part === '.') ||
    /[\u0000-\u001f]/.test(name)
  );
}

const u16 = (bytes: Uint8Array, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const u32 = (bytes: Uint8Array, at: number) => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;

function notZip(why: string): PackError {
  return new PackError('notZip', why);
}

/** Every entry of the zip's central directory, as the directory tells it. */
export function readDirectory(zip: Uint8Array): ZipEntry[] {
  // The end record is in the last 22 + 65,535 bytes (its comment is at most that long).
  let end = zip.length - 22;
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  while (end >= stop && u32(zip, end) !== 0x06054b50) end -= 1;
  if (end < stop) throw notZip('no end of central directory');
  const count = u16(zip, end + 10);
  let at = u32(zip, end + 16);
  if (count === 0xffff || at === 0xffffffff) throw notZip('zip64 is not used by guide packs');
  if (count > PACK_LIMITS.files) throw new PackError('tooManyFiles', String(count));
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > zip.length || u32(zip, at) !== 0x02014b50) throw notZip('broken central directory');
    const nameLength = u16(zip, at + 28);
    if (at + 46 + nameLength > zip.length) throw notZip('broken central directory');
    entries.push({
      name: decoder.decode(zip.subarray(at + 46, at + 46 + nameLength)),
      method: u16(zip, at + 10),
      compressedSize: u32(zip, at + 20),
      declaredSize: u32(zip, at + 24),
      localHeaderOffset: u32(zip, at + 42),
    });
    at += 46 + nameLength + u16(zip, at + 30) + u16(zip, at + 32);
  }
  return entries;
}

/** The entries worth unpacking (pack.json and pictures), after every check the directory alone allows. */
export function entriesToUnpack(entries: readonly ZipEntry[]): ZipEntry[] {
  let total = 0;
  const wanted: ZipEntry[] = [];
  const names = new Set<string>();
  for (const entry of entries) {
    if (isUnsafeName(entry.name)) throw new PackError('unsafeName', entry.name);
    if (entry.name.endsWith('/')) continue; // a folder entry
    if (/\.svgz?$/i.test(entry.name)) throw new PackError('svgPicture', entry.name);
    const isPicture = entry.name.startsWith('pictures/');
    if (entry.name !== PACK_JSON && !isPicture) continue; // anything else is not ours: never unpacked
    if (isPicture && !PICTURE_NAME.test(entry.name)) throw new PackError('notAPicture', entry.name);
    if (names.has(entry.name)) throw new PackError('duplicateId', entry.name);
    names.add(entry.name);
    const limit = isPicture ? PACK_LIMITS.pictureBytes : PACK_LIMITS.packJsonBytes;
    if (entry.declaredSize > limit) throw new PackError(isPicture ? 'pictureTooBig' : 'tooBig', `${entry.name}: ${entry.declaredSize} bytes`);
    total += entry.declaredSize;
    if (total > PACK_LIMITS.totalBytes) throw new PackError('tooBig', `${total} bytes`);
    if (entry.method !== 0 && entry.method !== 8) throw notZip(`${entry.name}: compression ${entry.method}`);
    wanted.push(entry);
  }
  return wanted;
}

/** Where an entry's data starts: after its local header, whose name and extra field may differ in length. */
function dataStart(zip: Uint8Array, entry: ZipEntry): number {
  const at = entry.localHeaderOffset;
  if (at + 30 > zip.length || u32(zip, at) !== 0x04034b50) throw notZip(`${entry.name}: no local header`);
  const start = at + 30 + u16(zip, at + 26) + u16(zip, at + 28);
  if (start + entry.compressedSize > zip.length) throw notZip(`${entry.name}: data past the end`);
  return start;
}

/** How much work an unpacking did: compressed bytes fed to the inflater and bytes it produced (kept or not). */
export interface UnzipMeter {
  compressedRead: number;
  inflated: number;
}

/** Inflates one entry in small pieces, never holding more than its declared size: a lying entry is stopped at once. */
function inflateEntry(data: Uint8Array, entry: ZipEntry, onBytes: (count: number) => void, meter: UnzipMeter): Uint8Array {
  const out = new Uint8Array(entry.declaredSize);
  let written = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    meter.inflated += chunk.length;
    if (written + chunk.length > entry.declaredSize) throw new PackError('sizeLie', `${entry.name} grows past ${entry.declaredSize} bytes`);
    out.set(chunk, written);
    written += chunk.length;
    onBytes(chunk.length);
    if (final) finished = true;
  });
  try {
    for (let at = 0; at < data.length && !finished; at += PIECE_BYTES) {
      const piece = data.subarray(at, Math.min(at + PIECE_BYTES, data.length));
      meter.compressedRead += piece.length;
      inflater.push(piece, at + PIECE_BYTES >= data.length);
    }
  } catch (error) {
    if (error instanceof PackError) throw error;
    throw notZip(`${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!finished || written !== entry.declaredSize) throw new PackError('sizeLie', `${entry.name}: ${written} of ${entry.declaredSize} bytes`);
  return out;
}

export interface UnzipProgress {
  /** Bytes unpacked so far, and in all (as the zip's directory declares them). */
  done: number;
  total: number;
}

/**
 * Unpacks pack.json and the pictures of a pack zip, checked as described above; throws PackError with the first problem.
 * `onProgress` is told now and then how far it is (at most about a hundred times); `meter` counts the work done.
 */
export function unzipPack(
  zip: Uint8Array,
  onProgress: (progress: UnzipProgress) => void = () => {},
  meter: UnzipMeter = { compressedRead: 0, inflated: 0 },
): Record<string, Uint8Array> {
  if (zip.byteLength > PACK_LIMITS.fileBytes) throw new PackError('fileTooBig', `${zip.byteLength} bytes`);
  const wanted = entriesToUnpack(readDirectory(zip));
  const total = wanted.reduce((sum, entry) => sum + entry.declaredSize, 0);
  const step = Math.max(1, Math.ceil(total / 100));
  let done = 0;
  let told = 0;
  const count = (bytes: number) => {
    done += bytes;
    if (done - told >= step) {
      told = done;
      onProgress({ done, total });
    }
  };
  const files: Record<string, Uint8Array> = {};
  for (const entry of wanted) {
    const start = dataStart(zip, entry);
    const data = zip.subarray(start, start + entry.compressedSize);
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.declaredSize) throw new PackError('sizeLie', `${entry.name} is stored with another size than declared`);
      files[entry.name] = data.slice();
      count(data.length);
    } else {
      files[entry.name] = inflateEntry(data, entry, count, meter);
    }
  }
  onProgress({ done, total });
  return files;
}
