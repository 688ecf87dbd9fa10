// Owns the edits an instructor makes to own guides: create, change fields, add/move/delete steps, pictures,
// delete with Undo, and copying a built-in guide. Every write goes through saveRecord/deleteRecord/restoreRecord
// (record + field clocks + outbox in one transaction), in the order the instructor made them.
import { deleteRecord, rememberNewRecord, restoreRecord, saveRecord } from '../../db/changes';
import { collectUnusedPictures, saveNewPicture } from '../../db/blobs';
import { guideById, inOneGuideTransaction, stepsOfGuide } from '../../db/guides';
import type { GuideCategory, GuideRecord, GuideStepRecord, StepKind } from '../../db/records';
import { flush, inOrder, saveNow } from './autosave';
import { keyAtEnd, keysAfterMove } from './order';
import { preparePicture } from './picture';
import { timeOrderedId } from '../../protocol/record-id';

/** A new record id: a UUID in the order records are made, without dashes (32 hex digits), which the protocol's id rule accepts. */
export const newRecordId = (): string => timeOrderedId().replace(/-/g, '');

/** How long the Undo of a delete stays on screen. */
export const UNDO_SHOWN_MS = 15_000;

export interface NewGuideFields {
  lang: GuideRecord['lang'];
  title?: string;
  summary?: string;
  category?: GuideCategory;
  tags?: string[];
}

/** Creates an own guide; its slug is its id, so its participant address never clashes with another guide's. */
export async function createGuide(fields: NewGuideFields, now = Date.now()): Promise<string> {
  const id = rememberNewRecord('guides', newRecordId()); // its first save need not read it
  await saveNow('guides', id, { slug: id, title: '', summary: '', category: 'contact', tags: [], ...fields, source: 'org', version: 1 }, now);
  return id;
}

/** Splits what the instructor typed in the tags field into tags (comma separated), without empties or repeats. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((tag) => tag.trim().slice(0, 60))
    .filter(Boolean);
  return [...new Set(tags)].slice(0, 30);
}

export async function addStep(guideId: string, now = Date.now()): Promise<string> {
  await flush();
  const id = rememberNewRecord('guideSteps', newRecordId()); // its first save need not read it
  await inOrder(async () => {
    const steps = await stepsOfGuide(guideId);
    await saveRecord('guideSteps', id, { guideId, orderKey: keyAtEnd(steps), kind: 'step' satisfies StepKind, text: '', alt: '' }, now);
  });
  return id;
}

/** Moves the step at `from` to `to` (positions among the guide's steps); normally one row changes. */
export async function moveStep(guideId: string, from: number, to: number, now = Date.now()): Promise<number> {
  await flush();
  return inOrder(async () => {
    const steps = await stepsOfGuide(guideId);
    const changed = keysAfterMove(steps, from, to);
    for (const step of changed) await saveRecord('guideSteps', step.id, { orderKey: step.orderKey }, now);
    return changed.length;
  });
}

export async function deleteStep(stepId: string, now = Date.now()): Promise<void> {
  await flush();
  await inOrder(() => deleteRecord('guideSteps', stepId, now));
  await collectPictures(now);
}

export async function restoreStep(stepId: string, now = Date.now()): Promise<void> {
  await inOrder(() => restoreRecord('guideSteps', stepId, now));
}

export async function deleteGuide(guideId: string, now = Date.now()): Promise<void> {
  await flush();
  await inOrder(() => deleteRecord('guides', guideId, now));
}

export async function restoreGuide(guideId: string, now = Date.now()): Promise<void> {
  await inOrder(() => restoreRecord('guides', guideId, now));
}

/** Puts a picture on a step: prepared in the browser, stored once by its hash; the old picture is collected if unused. */
export async function setStepPicture(stepId: string, file: Blob, now = Date.now()): Promise<string> {
  const picture = await preparePicture(file);
  const hash = await saveNewPicture(picture.bytes, picture.type);
  await saveNow('guideSteps', stepId, { imageHash: hash }, now);
  await collectPictures(now);
  return hash;
}

export async function removeStepPicture(stepId: string, now = Date.now()): Promise<void> {
  await saveNow('guideSteps', stepId, { imageHash: null, alt: '' }, now);
  await collectPictures(now);
}

/** Runs picture collection after the writes before it, never alongside one. */
export function collectPictures(now = Date.now()): Promise<string[]> {
  return inOrder(() => collectUnusedPictures(now));
}

/** Reads a built-in picture (precached) as bytes the picture pipeline can take. */
async function fetchPicture(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The picture ${url} could not be read (${response.status}).`);
  return response.blob();
}

/**
 * Copies a built-in guide into an own guide that remembers its origin (originId). The built-in SVG pictures are
 * drawn into ordinary pictures and stored by hash: a built-in picture's address changes with every content update,
 * sync and packs accept only JPEG/PNG/WebP, and the copy's pictures must be replaceable like any other.
 */
export async function copyBuiltinGuide(
  builtinId: string,
  options: { now?: number; readPicture?: (url: string) => Promise<{ bytes: Uint8Array; type: 'image/webp' | 'image/jpeg' | 'image/png' }> } = {},
): Promise<string> {
  const now = options.now ?? Date.now();
  const readPicture = options.readPicture ?? (async (url: string) => preparePicture(await fetchPicture(url)));
  const original = await guideById(builtinId);
  if (original?.source !== 'builtin') throw new Error('Only a built-in guide can be copied.');
  const steps = await stepsOfGuide(builtinId);
  // Pictures first (slow, outside any transaction); a URL used twice is read once.
  const hashes = new Map<string, string>();
  for (const step of steps) {
    if (!step.imageUrl || hashes.has(step.imageUrl)) continue;
    const picture = await readPicture(step.imageUrl);
    hashes.set(step.imageUrl, await saveNewPicture(picture.bytes, picture.type));
  }
  const id = newRecordId();
  // One transaction: a copy is there whole or not at all.
  await inOrder(() =>
    inOneGuideTransaction(async () => {
      await saveRecord(
        'guides',
        id,
        {
          slug: id,
          lang: original.lang,
          title: original.title,
          summary: original.summary,
          category: original.category,
          tags: [...original.tags],
          source: 'org',
          version: 1,
          originId: original.id,
        },
        now,
      );
      for (const step of steps) {
        const fields: Partial<GuideStepRecord> = { guideId: id, orderKey: step.orderKey, kind: step.kind, text: step.text, alt: step.alt };
        if (step.practice) fields.practice = step.practice;
        if (step.imageUrl) fields.imageHash = hashes.get(step.imageUrl)!;
        await saveRecord('guideSteps', newRecordId(), fields, now);
      }
    }),
  );
  return id;
}
