// Owns turning guides into a pack zip and a zip back into a checked pack. Reading checks everything before anything
// is unpacked or trusted: sizes from the zip's directory, names, the format, every record against the protocol's
// schemas, and every picture's type, size and hash. A pack either passes whole or is refused with a PackError.
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { sha256Hex } from '../../db/blobs';
import { guideFields, guideStepFields, isBuiltinId, isHlc } from '../../protocol';
import {
  PACK_FORMAT,
  PACK_FORMAT_VERSION,
  PACK_JSON,
  PACK_LIMITS,
  PackError,
  packGuide,
  packStep,
  PICTURE_EXTENSION,
  PICTURE_NAME,
  type CheckedPack,
  type PackGuide,
  type PackJson,
  type PackPicture,
  type PackStep,
} from './format';
import { looksLikeSvg, pictureType } from './magic';

/** Builds the zip: pack.json compressed, pictures stored as they are (they are compressed already). */
export function buildPack(guides: PackGuide[], steps: PackStep[], pictures: PackPicture[], exportedAt: Date): Uint8Array {
  const json: PackJson = { format: PACK_FORMAT, formatVersion: PACK_FORMAT_VERSION, exportedAt: exportedAt.toISOString(), guides, steps };
  const files: Zippable = { [PACK_JSON]: [strToU8(JSON.stringify(json, null, 1)), { level: 6 }] };
  for (const picture of pictures) files[`pictures/${picture.hash}.${PICTURE_EXTENSION[picture.type]}`] = [picture.bytes, { level: 0 }];
  // Zip dates cover 1980–2099 only; a tablet with a wildly wrong clock must still be able to export.
  const year = exportedAt.getUTCFullYear();
  return zipSync(files, { mtime: year >= 1981 && year <= 2098 ? exportedAt : new Date(Date.UTC(2000, 0, 1)) });
}

/** A name a zip must never hold: climbing out (..), absolute, Windows separators or drive letters, control characters. */
export function isUnsafeName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.includes('\\') || name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.split('/').some((part) => part === '..' || part === '.') || /[\u0000-\u001f]/.test(name);
}

function unpack(zip: Uint8Array): Record<string, Uint8Array> {
  let total = 0;
  let files = 0;
  const declared = new Map<string, number>();
  let found: Record<string, Uint8Array>;
  try {
    found = unzipSync(zip, {
      // Runs for every entry of the zip's central directory before that entry is inflated.
      filter: (entry) => {
        if (isUnsafeName(entry.name)) throw new PackError('unsafeName', entry.name);
        files += 1;
        if (files > PACK_LIMITS.files) throw new PackError('tooManyFiles', String(files));
        if (entry.name.endsWith('/')) return false; // a folder entry
        if (/\.svgz?$/i.test(entry.name)) throw new PackError('svgPicture', entry.name);
        const isPicture = entry.name.startsWith('pictures/');
        if (entry.name !== PACK_JSON && !isPicture) return false; // anything else is not ours: never unpacked
        if (isPicture && !PICTURE_NAME.test(entry.name)) throw new PackError('notAPicture', entry.name);
        const limit = isPicture ? PACK_LIMITS.pictureBytes : PACK_LIMITS.packJsonBytes;
        if (entry.originalSize > limit) throw new PackError(isPicture ? 'pictureTooBig' : 'tooBig', `${entry.name}: ${entry.originalSize} bytes`);
        total += entry.originalSize;
        if (total > PACK_LIMITS.totalBytes) throw new PackError('tooBig', `${total} bytes`);
        declared.set(entry.name, entry.originalSize);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof PackError) throw error;
    throw new PackError('notZip', error instanceof Error ? error.message : String(error));
  }
  // fflate never inflates past the size the directory declares (a lying entry comes out cut short, so its JSON or its
  // hash fails below); a stored entry that is longer than declared is caught here.
  for (const [name, bytes] of Object.entries(found)) {
    if (bytes.byteLength !== declared.get(name)) throw new PackError('notZip', `${name} is not what the zip says`);
  }
  return found;
}

function fieldsOf(record: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, hlc: _hlc, ...fields } = record;
  return fields;
}

/** Reads and checks a pack; throws PackError with the first problem found. */
export async function readPack(zip: Uint8Array): Promise<CheckedPack> {
  const files = unpack(zip);
  const jsonBytes = files[PACK_JSON];
  if (!jsonBytes) throw new PackError('noPackJson');
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(jsonBytes));
  } catch {
    throw new PackError('notJson');
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== PACK_FORMAT) throw new PackError('notAPack');
  const raw = json as { formatVersion?: unknown; exportedAt?: unknown; guides?: unknown; steps?: unknown };
  if (raw.formatVersion !== PACK_FORMAT_VERSION) throw new PackError('unknownVersion', String(raw.formatVersion));
  if (!Array.isArray(raw.guides) || !Array.isArray(raw.steps)) throw new PackError('notAPack', 'guides and steps must be lists');
  if (raw.guides.length > PACK_LIMITS.guides) throw new PackError('tooManyGuides', String(raw.guides.length));
  if (raw.steps.length > PACK_LIMITS.steps) throw new PackError('tooManySteps', String(raw.steps.length));

  const guides: PackGuide[] = [];
  const ids = new Set<string>();
  for (const [index, candidate] of raw.guides.entries()) {
    const parsed = packGuide.safeParse(candidate);
    if (!parsed.success || !guideFields.safeParse(fieldsOf(parsed.data)).success || (parsed.data.hlc !== undefined && !isHlc(parsed.data.hlc))) {
      if ((candidate as { source?: unknown } | null)?.source === 'builtin') throw new PackError('builtinGuide', `guide ${index + 1}`);
      throw new PackError('badGuide', `guide ${index + 1}`);
    }
    // Built-in guides are the app's: a pack (like sync) can never bring one or a step into one.
    if (isBuiltinId(parsed.data.id)) throw new PackError('builtinGuide', parsed.data.id);
    if (ids.has(parsed.data.id)) throw new PackError('duplicateId', parsed.data.id);
    ids.add(parsed.data.id);
    guides.push(parsed.data);
  }
  const guideIds = new Set(guides.map((g) => g.id));
  const steps: PackStep[] = [];
  for (const [index, candidate] of raw.steps.entries()) {
    const parsed = packStep.safeParse(candidate);
    if (!parsed.success || !guideStepFields.safeParse(fieldsOf(parsed.data)).success || (parsed.data.hlc !== undefined && !isHlc(parsed.data.hlc))) {
      throw new PackError('badStep', `step ${index + 1}`);
    }
    if (isBuiltinId(parsed.data.id) || isBuiltinId(parsed.data.guideId)) throw new PackError('builtinGuide', parsed.data.id);
    if (ids.has(parsed.data.id)) throw new PackError('duplicateId', parsed.data.id);
    ids.add(parsed.data.id);
    if (!guideIds.has(parsed.data.guideId)) throw new PackError('stepWithoutGuide', parsed.data.id);
    steps.push(parsed.data);
  }

  const pictures = new Map<string, PackPicture>();
  for (const [name, bytes] of Object.entries(files)) {
    const match = PICTURE_NAME.exec(name);
    if (!match) continue;
    const hash = match[1]!;
    if (looksLikeSvg(bytes)) throw new PackError('svgPicture', name);
    const type = pictureType(bytes);
    if (!type) throw new PackError('notAPicture', name);
    if (bytes.byteLength > PACK_LIMITS.pictureBytes) throw new PackError('pictureTooBig', name);
    if ((await sha256Hex(bytes)) !== hash) throw new PackError('pictureHashMismatch', name);
    pictures.set(hash, { hash, type, bytes });
  }
  return { exportedAt: typeof raw.exportedAt === 'string' ? raw.exportedAt.slice(0, 40) : '', guides, steps, pictures };
}
