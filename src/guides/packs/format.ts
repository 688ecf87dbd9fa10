// Owns the guide pack format (`<name>.digituki.zip`): a pack.json with the guides and steps, plus every picture as
// pictures/<sha256>.<ext>, and the schemas of its records. Its limits and errors live in limits.ts (the unzip worker needs them).
import * as z from 'zod/mini';
import { GUIDE_CATEGORIES, LANGUAGES, recordId, STEP_KINDS, type BlobType } from '../../protocol';

export const PACK_FORMAT = 'digituki-guide-pack';
export const PACK_FORMAT_VERSION = 1;
export const PACK_SUFFIX = '.digituki.zip';
export { PACK_JSON, PACK_LIMITS, PICTURE_NAME, PackError, type PackErrorCode } from './limits';

export const PICTURE_EXTENSION: Record<BlobType, string> = { 'image/webp': 'webp', 'image/jpeg': 'jpg', 'image/png': 'png' };

const text = (max: number) => z.string().check(z.maxLength(max));
const timestampMs = z.int().check(z.gte(0), z.lte(8_640_000_000_000));

/** A guide in a pack: every field the protocol lets a guide sync, all of them present; only own guides travel. */
export const packGuide = z.strictObject({
  id: recordId,
  updatedAt: timestampMs,
  hlc: z.optional(text(120)),
  slug: text(120),
  lang: z.enum(LANGUAGES),
  title: text(200),
  summary: text(2000),
  category: z.enum(GUIDE_CATEGORIES),
  tags: z.array(text(60)).check(z.maxLength(30)),
  source: z.literal('org'),
  version: z.int().check(z.gte(0)),
  originId: z.optional(z.nullable(recordId)),
});

export const packStep = z.strictObject({
  id: recordId,
  updatedAt: timestampMs,
  hlc: z.optional(text(120)),
  guideId: recordId,
  orderKey: z.string().check(z.minLength(1), z.maxLength(200)),
  kind: z.enum(STEP_KINDS),
  practice: z.optional(z.nullable(z.enum(['tap', 'swipe']))),
  text: text(4000),
  alt: text(500),
  imageHash: z.optional(z.nullable(z.string().check(z.regex(/^[0-9a-f]{64}$/)))),
});

export type PackGuide = z.infer<typeof packGuide>;
export type PackStep = z.infer<typeof packStep>;

export interface PackJson {
  format: typeof PACK_FORMAT;
  formatVersion: typeof PACK_FORMAT_VERSION;
  exportedAt: string;
  guides: PackGuide[];
  steps: PackStep[];
}

export interface PackPicture {
  hash: string;
  type: BlobType;
  bytes: Uint8Array;
}

/** A pack that passed every check: safe to show in a preview and to merge. */
export interface CheckedPack {
  exportedAt: string;
  guides: PackGuide[];
  steps: PackStep[];
  pictures: Map<string, PackPicture>;
}

/** A file name for a pack: the words of the name, safe on every system, ending in .digituki.zip. */
export function packFileName(name: string): string {
  const safe = name
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${safe || 'guides'}${PACK_SUFFIX}`;
}
