// Owns the lock feature's storage: the instructor profiles (never synced), removing old synced logs for retention,
// and the backup's reads and its one-transaction restore. The rules (who may do what, PINs, the backup file) are
// src/lock's; this module only reads and writes, each check-then-write in one transaction.
import { forgetRemembered } from './changes';
import { db } from './db';
import { readEnrolment } from './sync';
import { mergeRows, type StoredRow } from './record-state';
import type { BlobRecord, FeedbackRecord, GuideRecord, GuideStepRecord, OutboxEntry, ProfileRecord, SessionLogRecord } from './records';

export function listProfiles(): Promise<ProfileRecord[]> {
  return db().profiles.orderBy('nickname').toArray();
}

export async function hasProfiles(): Promise<boolean> {
  return (await db().profiles.count()) > 0;
}

export function profileById(id: string): Promise<ProfileRecord | undefined> {
  return db().profiles.get(id);
}

export async function addProfileRow(profile: ProfileRecord): Promise<void> {
  await db().profiles.add(profile);
}

export async function updateProfile(id: string, changes: Partial<ProfileRecord>): Promise<void> {
  await db().profiles.update(id, changes);
}

/** In ONE transaction, adds the profile `make` returns only while there is no profile at all (else undefined). */
export function addFirstProfile(make: () => ProfileRecord): Promise<ProfileRecord | undefined> {
  const database = db();
  return database.transaction('rw', database.profiles, async () => {
    if ((await database.profiles.count()) > 0) return undefined;
    const made = make();
    await database.profiles.add(made);
    return made;
  });
}

/** In ONE transaction, stores the wrapped keys (by profile id) unless some profile already has one; false then. */
export function storeWrappedKeysIfNone(wraps: ReadonlyMap<string, string>): Promise<boolean> {
  const database = db();
  return database.transaction('rw', database.profiles, async () => {
    if ((await database.profiles.filter((p) => typeof p.wrappedKey === 'string').count()) > 0) return false;
    for (const [id, wrappedKey] of wraps) await database.profiles.update(id, { wrappedKey, pinHash: undefined });
    return true;
  });
}

/** In ONE transaction, deletes a profile after `check` (which throws to refuse) has seen every profile. */
export async function removeProfileChecked(id: string, check: (profiles: ProfileRecord[]) => void): Promise<void> {
  const database = db();
  await database.transaction('rw', database.profiles, async () => {
    check(await database.profiles.toArray());
    await database.profiles.delete(id);
  });
}

/**
 * In ONE transaction, removes logs started before `cutoff` that `removable` picks (given the ids with changes still
 * waiting in the outbox), from this tablet only: no outbox row, so the server copy is untouched. Returns how many.
 */
export function removeOldLogs(cutoff: number, removable: (old: SessionLogRecord[], pendingIds: ReadonlySet<string>) => string[]): Promise<number> {
  const database = db();
  return database.transaction('rw', [database.sessions, database.outbox], async () => {
    const old = await database.sessions.where('startedAt').below(cutoff).toArray();
    if (old.length === 0) return 0;
    const pending = await database.outbox.filter((row) => row.table === 'sessions').toArray();
    const remove = removable(old, new Set(pending.map((row) => row.recordId)));
    await database.sessions.bulkDelete(remove);
    return remove.length;
  });
}

export interface OwnData {
  guides: GuideRecord[];
  guideSteps: GuideStepRecord[];
  sessions: SessionLogRecord[];
  feedback: FeedbackRecord[];
  blobs: BlobRecord[];
  outbox: OutboxEntry[];
  profiles: ProfileRecord[];
}

/** Every table a backup carries, read in ONE transaction (the outbox in its order). */
export function readOwnData(): Promise<OwnData> {
  const database = db();
  return database.transaction(
    'r',
    [database.guides, database.guideSteps, database.sessions, database.feedback, database.blobs, database.outbox, database.profiles],
    async () => ({
      guides: await database.guides.toArray(),
      guideSteps: await database.guideSteps.toArray(),
      sessions: await database.sessions.toArray(),
      feedback: await database.feedback.toArray(),
      blobs: await database.blobs.toArray(),
      outbox: await database.outbox.orderBy('seq').toArray(),
      profiles: await database.profiles.toArray(),
    }),
  );
}

export interface RestoredData {
  guides: GuideRecord[];
  guideSteps: GuideStepRecord[];
  sessions: SessionLogRecord[];
  feedback: FeedbackRecord[];
  blobs: BlobRecord[];
  outbox: Pick<OutboxEntry, 'table' | 'recordId' | 'hlc' | 'fields' | 'fieldClocks'>[];
  profiles: Pick<ProfileRecord, 'id' | 'nickname' | 'createdAt'>[];
}

/**
 * Writes checked backup contents in ONE transaction: records merge field by field, feedback and pictures are added
 * once, pending changes stay pending (at the place `placesFor` gives them, knowing the enrolment in force), profiles
 * come as instructors without a PIN. Returns how many rows of each table were written.
 */
export async function writeRestored(
  t: RestoredData,
  placesFor: (enrolment: { orgId?: unknown; siteId?: unknown } | undefined) => (row: RestoredData['outbox'][number]) => { org: string; site: string },
): Promise<Record<keyof RestoredData, number>> {
  const database = db();
  const written: Record<keyof RestoredData, number> = { guides: 0, guideSteps: 0, sessions: 0, feedback: 0, blobs: 0, outbox: 0, profiles: 0 };
  await database.transaction(
    'rw',
    [database.guides, database.guideSteps, database.sessions, database.feedback, database.blobs, database.outbox, database.profiles, database.syncState],
    async () => {
      for (const name of ['guides', 'guideSteps', 'sessions'] as const) {
        const table = database.table<StoredRow, string>(name);
        for (const row of t[name] as StoredRow[]) {
          // Field by field (the one merge rule): a newer record clock never replaces a field edited here later.
          const merged = mergeRows(await table.get(row.id), row);
          if (!merged.changed) continue;
          await table.put(merged.row);
          written[name] += 1;
        }
      }
      for (const row of t.feedback) {
        if (await database.feedback.get(row.id)) continue;
        await database.feedback.add(row);
        written.feedback += 1;
      }
      for (const blob of t.blobs) {
        if (await database.blobs.get(blob.hash)) continue;
        await database.blobs.add(blob);
        written.blobs += 1;
      }
      const placeOf = placesFor(await readEnrolment(database));
      for (const row of t.outbox) {
        const same = await database.outbox
          .where('[table+recordId]')
          .equals([row.table, row.recordId])
          .filter((local) => local.hlc === row.hlc)
          .count();
        if (same > 0) continue;
        await database.outbox.add({
          table: row.table,
          recordId: row.recordId,
          hlc: row.hlc,
          fields: row.fields,
          ...(row.fieldClocks ? { fieldClocks: row.fieldClocks } : {}),
          ...placeOf(row),
        });
        written.outbox += 1;
      }
      const nicknames = new Set((await database.profiles.toArray()).map((p) => p.nickname.toLocaleLowerCase()));
      for (const profile of t.profiles) {
        if ((await database.profiles.get(profile.id)) || nicknames.has(profile.nickname.toLocaleLowerCase())) continue;
        // Never an admin, never a PIN from a file: a hand-made file cannot make anyone admin or open the tablet.
        await database.profiles.add({ id: profile.id, nickname: profile.nickname, createdAt: profile.createdAt, role: 'instructor' });
        nicknames.add(profile.nickname.toLocaleLowerCase());
        written.profiles += 1;
      }
    },
  );
  return written;
}

/** Empties every table of the app's database (a wipe); what this connection remembered of them goes too. */
export async function clearEveryTable(): Promise<void> {
  const database = db();
  try {
    await database.transaction('rw', database.tables, () => Promise.all(database.tables.map((table) => table.clear())));
  } finally {
    forgetRemembered(database); // the clock, place and date correction this connection remembered went with the tables
  }
}
