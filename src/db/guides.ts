// Owns the guide queries: the library list, one guide with its steps, pictures by hash, and the built-in content swap.
import Dexie from 'dexie';
import { BUILTIN_ID_PREFIX } from '../protocol/builtin';
import { db } from './db';
import { readLocal, writeLocal } from './device-local';
import type { BlobRecord, GuideRecord, GuideStepRecord } from './records';

/** Guides a participant may open: not deleted, built-in or the organisation's own. */
export async function libraryGuides(): Promise<GuideRecord[]> {
  return db().guides.where('deleted').equals(0).toArray();
}

/** Of guides with one address, the built-in one: an own guide with the same slug never stands in for the app's guide. */
const builtinFirst = (guides: GuideRecord[]) => guides.find((guide) => guide.source === 'builtin') ?? guides[0];

/** The guide behind a deep link: in the wanted language if it exists, else in any language. */
export async function guideBySlug(slug: string, lang: string): Promise<GuideRecord | undefined> {
  const inLanguage = builtinFirst(
    await db()
      .guides.where('[lang+slug]')
      .equals([lang, slug])
      .filter((guide) => !guide.deleted)
      .toArray(),
  );
  if (inLanguage) return inLanguage;
  return builtinFirst(
    await db()
      .guides.where('slug')
      .equals(slug)
      .filter((guide) => !guide.deleted)
      .toArray(),
  );
}

/** A guide's steps in their order, without deleted ones. */
export async function stepsOfGuide(guideId: string): Promise<GuideStepRecord[]> {
  const steps = await db().guideSteps.where('[guideId+orderKey]').between([guideId, Dexie.minKey], [guideId, Dexie.maxKey]).toArray();
  return steps.filter((step) => !step.deleted);
}

/** Each guide's first step that has a picture (its cover on a guide card), by guide id. */
export async function coverSteps(guideIds: readonly string[]): Promise<Map<string, GuideStepRecord>> {
  const covers = new Map<string, GuideStepRecord>();
  await Promise.all(
    guideIds.map(async (guideId) => {
      const first = await db()
        .guideSteps.where('[guideId+orderKey]')
        .between([guideId, Dexie.minKey], [guideId, Dexie.maxKey])
        .filter((step) => !step.deleted && Boolean(step.imageUrl || step.imageHash))
        .first();
      if (first) covers.set(guideId, first);
    }),
  );
  return covers;
}

export function blobByHash(hash: string): Promise<BlobRecord | undefined> {
  return db().blobs.get(hash);
}

export async function builtinContentVersion(): Promise<string | undefined> {
  return readLocal(db(), 'builtinContentVersion');
}

/**
 * Replaces the built-in guides with the content shipped in this build, in one transaction.
 * Only built-in rows are touched (source 'builtin' or a built-in id, and every step in a built-in guide, so nothing an
 * earlier app let sync change or add survives): guides that instructors made stay exactly as they are.
 */
export async function replaceBuiltinGuides(guides: GuideRecord[], steps: GuideStepRecord[], version: string): Promise<void> {
  const database = db();
  await database.transaction('rw', [database.guides, database.guideSteps, database.syncState], async () => {
    const old = new Set([
      ...(await database.guides.where('source').equals('builtin').primaryKeys()),
      ...(await database.guides.where(':id').startsWith(BUILTIN_ID_PREFIX).primaryKeys()),
      ...guides.map((guide) => guide.id),
    ]);
    for (const guideId of old) {
      await database.guideSteps.where('[guideId+orderKey]').between([guideId, Dexie.minKey], [guideId, Dexie.maxKey]).delete();
    }
    await database.guideSteps.where(':id').startsWith(BUILTIN_ID_PREFIX).delete();
    await database.guides.bulkDelete([...old]);
    await database.guides.bulkPut(guides);
    await database.guideSteps.bulkPut(steps);
    await writeLocal(database, 'builtinContentVersion', version);
  });
}

/** One guide by id, also when it is deleted (the editor shows "deleted" with an Undo, import compares with it). */
export function guideById(id: string): Promise<GuideRecord | undefined> {
  return db().guides.get(id);
}

/** The organisation's own guides that are not deleted: what the instructor edits and exports. */
export async function ownGuides(): Promise<GuideRecord[]> {
  return db()
    .guides.where('source')
    .equals('org')
    .filter((guide) => !guide.deleted)
    .toArray();
}

/** Guides and steps with these ids, deleted ones included, for comparing a guide pack with the tablet. */
export async function guidesAndStepsByIds(
  guideIds: readonly string[],
  stepIds: readonly string[],
): Promise<{ guides: GuideRecord[]; steps: GuideStepRecord[] }> {
  const database = db();
  const guides = (await database.guides.bulkGet([...guideIds])).filter((g): g is GuideRecord => !!g);
  const steps = (await database.guideSteps.bulkGet([...stepIds])).filter((s): s is GuideStepRecord => !!s);
  const byGuide = await Promise.all(guideIds.map((id) => allStepsOfGuide(id)));
  const seen = new Set(steps.map((s) => s.id));
  for (const list of byGuide) for (const step of list) if (!seen.has(step.id)) seen.add(step.id), steps.push(step);
  return { guides, steps };
}

/** Every step row of a guide in order, deleted ones included. */
export function allStepsOfGuide(guideId: string): Promise<GuideStepRecord[]> {
  return db().guideSteps.where('[guideId+orderKey]').between([guideId, Dexie.minKey], [guideId, Dexie.maxKey]).toArray();
}

/** A guide or a step by id, deleted ones included (the editor's journal checks it was not saved or changed since). */
export function guideOrStepById(table: 'guides' | 'guideSteps', id: string): Promise<GuideRecord | GuideStepRecord | undefined> {
  return table === 'guides' ? db().guides.get(id) : db().guideSteps.get(id);
}

/** Runs guide writes (saveRecord over guides and steps, their pictures) in ONE transaction: all of them or none. */
export function inOneGuideTransaction<T>(work: () => Promise<T>): Promise<T> {
  const database = db();
  return database.transaction('rw', [database.guides, database.guideSteps, database.blobs, database.outbox, database.syncState], work);
}
