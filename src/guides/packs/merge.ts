// Owns what importing a checked pack does to the tablet. First a plan for the preview (which guides are new, which
// are here already and whether the pack's version is newer, older or the same), then the merge the instructor
// confirmed: new guides come in, existing ones change only where the instructor said so. All of it is written in ONE
// transaction through saveRecord, so the imported guides sync like any edit, and a failure leaves nothing behind.
import { putPicturesInTransaction, storedPictureHashes } from '../../db/blobs';
import { saveRecord } from '../../db/changes';
import { guidesAndStepsByIds, inOneGuideTransaction } from '../../db/guides';
import type { GuideRecord, GuideStepRecord } from '../../db/records';
import { sameValue } from '../../protocol';
import { PackError, type CheckedPack, type PackGuide, type PackStep } from './format';

export type GuideStatus = 'new' | 'same' | 'newer' | 'older' | 'deletedHere';

export interface GuidePlan {
  id: string;
  title: string;
  status: GuideStatus;
  steps: number;
  /** What happens if the instructor does not change it: new guides come in, newer ones are offered, older ones kept. */
  replaceByDefault: boolean;
}

export interface ImportPlan {
  guides: GuidePlan[];
  pictures: { total: number; alreadyHere: number };
}

const GUIDE_KEYS = ['slug', 'lang', 'title', 'summary', 'category', 'tags', 'source', 'version', 'originId'] as const;
const STEP_KEYS = ['guideId', 'orderKey', 'kind', 'practice', 'text', 'alt', 'imageHash'] as const;

// The protocol's own value comparison (key order does not matter), the one the merge rule uses.
const same = sameValue;

/** The fields of `wanted` that differ from `current` (all of them for a new record), plus `deleted: 0` if it was deleted. */
function changedFields(keys: readonly string[], wanted: Record<string, unknown>, current: Record<string, unknown> | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of keys) {
    const value = wanted[key] ?? (current && current[key] !== undefined ? null : undefined);
    if (value !== undefined && (!current || !same(current[key], wanted[key]))) fields[key] = value;
  }
  if (current?.deleted) fields.deleted = 0;
  return fields;
}

/** The latest change of a guide with its steps: by updatedAt, and by clock when the times are equal. */
function latest(records: { updatedAt: number; hlc?: string }[]): { updatedAt: number; hlc: string } {
  let best = { updatedAt: 0, hlc: '' };
  for (const r of records)
    if (r.updatedAt > best.updatedAt || (r.updatedAt === best.updatedAt && (r.hlc ?? '') > best.hlc)) best = { updatedAt: r.updatedAt, hlc: r.hlc ?? '' };
  return best;
}

function sameContent(guide: PackGuide, steps: PackStep[], local: GuideRecord, localSteps: GuideStepRecord[]): boolean {
  if (local.deleted) return false;
  if (GUIDE_KEYS.some((key) => !same(guide[key], local[key]))) return false;
  const alive = localSteps.filter((s) => !s.deleted);
  if (alive.length !== steps.length) return false;
  const byId = new Map(alive.map((s) => [s.id, s]));
  return steps.every((step) => {
    const here = byId.get(step.id);
    return here !== undefined && STEP_KEYS.every((key) => same(step[key], here[key]));
  });
}

async function localState(pack: CheckedPack) {
  const { guides, steps } = await guidesAndStepsByIds(
    pack.guides.map((g) => g.id),
    pack.steps.map((s) => s.id),
  );
  return { guides: new Map(guides.map((g) => [g.id, g])), steps };
}

/** Refuses a pack that would overwrite something that is not an own guide of the same shape. */
function checkAgainstTablet(pack: CheckedPack, local: Awaited<ReturnType<typeof localState>>): void {
  for (const guide of pack.guides) if (local.guides.get(guide.id)?.source === 'builtin') throw new PackError('builtinGuide', guide.id);
  const packGuideOf = new Map(pack.steps.map((s) => [s.id, s.guideId]));
  for (const step of local.steps) {
    const wanted = packGuideOf.get(step.id);
    if (wanted !== undefined && wanted !== step.guideId) throw new PackError('stepOfOtherGuide', step.id);
  }
}

/** Every picture the pack's steps show must be in the pack or on the tablet already. */
async function checkPictures(pack: CheckedPack): Promise<Set<string>> {
  const needed = [...new Set(pack.steps.map((s) => s.imageHash).filter((h): h is string => !!h))];
  const here = await storedPictureHashes(needed);
  for (const hash of needed) if (!pack.pictures.has(hash) && !here.has(hash)) throw new PackError('missingPicture', hash);
  return here;
}

export async function planImport(pack: CheckedPack): Promise<ImportPlan> {
  const local = await localState(pack);
  checkAgainstTablet(pack, local);
  const here = await checkPictures(pack);
  const guides = pack.guides.map((guide): GuidePlan => {
    const steps = pack.steps.filter((s) => s.guideId === guide.id);
    const current = local.guides.get(guide.id);
    const base = { id: guide.id, title: guide.title, steps: steps.length };
    if (!current) return { ...base, status: 'new', replaceByDefault: true };
    const localSteps = local.steps.filter((s) => s.guideId === guide.id);
    if (sameContent(guide, steps, current, localSteps)) return { ...base, status: 'same', replaceByDefault: false };
    if (current.deleted) return { ...base, status: 'deletedHere', replaceByDefault: true };
    const ours = latest([current, ...localSteps]);
    const theirs = latest([guide, ...steps]);
    const newer = theirs.updatedAt > ours.updatedAt || (theirs.updatedAt === ours.updatedAt && theirs.hlc > ours.hlc);
    return { ...base, status: newer ? 'newer' : 'older', replaceByDefault: newer };
  });
  const pictureHashes = new Set(pack.steps.map((s) => s.imageHash).filter((h): h is string => !!h));
  return { guides, pictures: { total: pictureHashes.size, alreadyHere: [...pictureHashes].filter((h) => here.has(h)).length } };
}

/**
 * Writes the pack: every new guide, and the existing guides in `replace` (the instructor's choice in the preview).
 * Returns how many guides were written. Times come from the pack (never from the future), so importing the same pack
 * again shows "the same" and an older pack never looks newer than it is.
 */
export async function applyImport(pack: CheckedPack, replace: ReadonlySet<string>, now = Date.now()): Promise<number> {
  return inOneGuideTransaction(async () => {
    // Checked again inside the transaction: the tablet may have changed since the preview.
    const local = await localState(pack);
    checkAgainstTablet(pack, local);
    await checkPictures(pack);
    const wanted = pack.guides.filter((g) => !local.guides.has(g.id) || replace.has(g.id));
    const wantedIds = new Set(wanted.map((g) => g.id));
    const stepsHere = new Map(local.steps.map((s) => [s.id, s]));
    const usedHashes = new Set<string>();
    for (const guide of wanted) {
      const current = local.guides.get(guide.id);
      const fields = changedFields(GUIDE_KEYS, guide, current as Record<string, unknown> | undefined);
      if (Object.keys(fields).length) await saveRecord('guides', guide.id, fields, Math.min(guide.updatedAt, now));
    }
    for (const step of pack.steps) {
      if (!wantedIds.has(step.guideId)) continue;
      if (step.imageHash) usedHashes.add(step.imageHash);
      const fields = changedFields(STEP_KEYS, step, stepsHere.get(step.id) as Record<string, unknown> | undefined);
      if (Object.keys(fields).length) await saveRecord('guideSteps', step.id, fields, Math.min(step.updatedAt, now));
    }
    // A replaced guide is the pack's version: its steps that the pack does not have are deleted (tombstones).
    const packStepIds = new Set(pack.steps.map((s) => s.id));
    for (const step of local.steps) {
      if (wantedIds.has(step.guideId) && !packStepIds.has(step.id) && !step.deleted) await saveRecord('guideSteps', step.id, { deleted: 1 }, now);
    }
    await putPicturesInTransaction([...usedHashes].map((hash) => pack.pictures.get(hash)).filter((p) => p !== undefined));
    return wanted.length;
  });
}
