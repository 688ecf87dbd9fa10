// Owns editing session logs on the tablet: every change goes through saveRecord at once (a draft survives a reload
// or a dead battery), deletes are tombstones, and the last used format is remembered.
import { deleteRecord, rememberNewRecord, saveRecord } from '../db/changes';
import { lastUsedFormat, logRow, rememberFormat } from '../db/sessions';
import { findPersonalData } from '../lib/personal-data';
import { timeOrderedId } from '../protocol/record-id';
import { createObservable } from '../lib/observable';
import { writeQueue } from '../lib/write-queue';
import { protectNote, readNote } from './notes';
import { asSessionLog, NOTE_MAX_LENGTH, type LogFields, type SessionLog } from './session-log';

/** The log just marked final, so the list can say "Tallennettu" once; cleared when it has been shown. */
export const justFinalised = createObservable<string | undefined>(undefined);

// Writes run one after another, so quick taps on a stepper land in the order they were made.
const inOrder = writeQueue();

/** Thrown instead of saving a note that looks like it holds personal data: it must never reach the outbox. */
export class PersonalDataInNote extends Error {
  constructor() {
    super('The note looks like it contains personal data and was not saved.');
  }
}

/** An id for a log about to be written (a UUID in the order logs are made), remembered as new: its first save adds it without reading. */
export function newLogId(): string {
  return rememberNewRecord('sessions', timeOrderedId());
}

/** Saves the given fields of a log (creating it on the first save) and queues them for sync. */
export function saveLogFields(id: string, fields: Partial<LogFields>, now = Date.now()): Promise<void> {
  if (fields.note !== undefined) {
    if (fields.note.length > NOTE_MAX_LENGTH) throw new RangeError(`A note is at most ${NOTE_MAX_LENGTH} characters.`);
    if (findPersonalData(fields.note).length > 0) throw new PersonalDataInNote();
  }
  return inOrder(async () => {
    if (fields.note === undefined) return void (await saveRecord('sessions', id, fields, now));
    // Kept here under the data key, queued sealed for the server (notes.ts): never stored in clear.
    const { local, queued } = await protectNote(fields.note);
    await saveRecord('sessions', id, { ...fields, note: local }, now, { note: queued });
  });
}

export function finaliseLog(id: string, now = Date.now()): Promise<void> {
  return saveLogFields(id, { status: 'final' }, now);
}

/** Deletes a log as a tombstone, so the delete syncs to the other tablets of the site. */
export function deleteLog(id: string, now = Date.now()): Promise<void> {
  return inOrder(async () => {
    await deleteRecord('sessions', id, now);
  });
}

export async function loadLog(id: string): Promise<SessionLog | undefined> {
  const row = await logRow(id);
  return row && row.deleted !== 1 ? asSessionLog({ ...row, note: await readNote(row.note) }) : undefined;
}

/** The format of the last log written here, offered for the next one. */
export { lastUsedFormat, rememberFormat };
