// Owns turning guides into a pack zip and a zip back into a checked pack. Reading checks everything before anything
// is trusted: the zip is unpacked with its own checks (unzip.ts, in a worker), then the format, every record against
// the protocol's schemas, and every picture's type, size and hash. A pack either passes whole or is refused (PackError).
import { strFromU8, strToU8, zipSync, type Zippable } from 'fflate';
import { sha256Hex } from '../../lib/sha256';
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
import type { UnzipProgress } from './unzip';
import { unzipOffThread } from './unzip-off-thread';

/** Builds the zip: pack.json compressed, pictures stored as they are (they are compressed already). */
export function buildPack(guides: PackGuide[], steps: PackStep[], pictures: PackPicture[], exportedAt: Date): Uint8Array {
  const json: PackJson = { format: PACK_FORMAT, formatVersion: PACK_FORMAT_VERSION, exportedAt: exportedAt.toISOString(), guides, steps };
  const files: Zippable = { [PACK_JSON]: [strToU8(JSON.stringify(json, null, 1)), { level: 6 }] };
  for (const picture of pictures) files[`pictures/${picture.hash}.${PICTURE_EXTENSION[picture.type]}`] = [picture.bytes, { level: 0 }];
  // Zip dates cover 1980–2099 only; a tablet with a wildly wrong clock must still be able to export.
  const year = exportedAt.getUTCFullYear();
  return zipSync(files, { mtime: year >= 1981 && year <= 2098 ? exportedAt : new Date(Date.UTC(2000, 0, 1)) });
}

export { isUnsafeName } from './unzip';

function fieldsOf(record: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, hlc: _hlc, ...fields } = record;
  return fields;
}

/** Reads and checks a pack (unpacked off the main thread where it can be); throws PackError with the first problem found. */
export async function readPack(zip: Uint8Array, onProgress?: (progress: UnzipProgress) => void): Promise<CheckedPack> {
  const files = await unzipOffThread(zip, onProgress);
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
