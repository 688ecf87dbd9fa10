// Owns a guide pack's limits, its file names and the errors a hostile or broken pack gets. No schemas here: the unzip
// worker uses it, and it must stay small.
import { LIMITS } from '../../protocol/version';

export const PACK_JSON = 'pack.json';

export const PACK_LIMITS = {
  /** The pack file itself, checked before a byte of it is read: everything inside plus the zip's own bookkeeping. */
  fileBytes: 60 * 1024 * 1024,
  /** Everything inside the zip once unpacked, checked from the zip's own directory before unpacking. */
  totalBytes: 50 * 1024 * 1024,
  packJsonBytes: 8 * 1024 * 1024,
  /** The sync protocol's picture limit: a picture the server would refuse must not get onto a tablet this way. */
  pictureBytes: LIMITS.blobBytes,
  files: 2_500,
  guides: 200,
  steps: 2_000,
} as const;

/** The only file names a pack may hold; anything else that is not a plain name (../, /, \) is refused outright. */
export const PICTURE_NAME = /^pictures\/([0-9a-f]{64})\.(webp|jpg|jpeg|png)$/;

export type PackErrorCode =
  | 'notZip'
  | 'fileTooBig'
  | 'unsafeName'
  | 'tooBig'
  | 'sizeLie'
  | 'tooManyFiles'
  | 'noPackJson'
  | 'notJson'
  | 'notAPack'
  | 'unknownVersion'
  | 'tooManyGuides'
  | 'tooManySteps'
  | 'badGuide'
  | 'badStep'
  | 'duplicateId'
  | 'stepWithoutGuide'
  | 'svgPicture'
  | 'notAPicture'
  | 'pictureTooBig'
  | 'pictureHashMismatch'
  | 'missingPicture'
  | 'builtinGuide'
  | 'stepOfOtherGuide';

/** A pack that cannot be imported: `code` picks the plain-words message, `detail` names what is wrong for the log. */
export class PackError extends Error {
  constructor(
    readonly code: PackErrorCode,
    readonly detail = '',
  ) {
    super(`Guide pack refused (${code})${detail ? `: ${detail}` : ''}`);
  }
}
