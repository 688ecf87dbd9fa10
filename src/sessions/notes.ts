// Owns how a session note is kept and sent (README, "Session notes" in src/protocol): on the tablet it is stored under
// the data key (enc:v1:…), readable only while the instructor area is unlocked; for the server it is queued sealed to
// the organisation's note key (sealed:v1:…), so it can be sent while the tablet is locked and no tablet can read it
// back. A note written before the tablet knows the organisation's key is queued under the data key and held back
// (src/db/org-note-key.ts) until an unlock or the enrolment seals it. Clear notes of an older version are turned into
// these forms at the first unlock after the update.
import { db } from '../db/db';
import { readOrgNoteKey } from '../db/org-note-key';
import { logRowsWithNote, swapNotes, waitingLogChangesWithNote, type NoteSwap } from '../db/sessions';
import { dataKey, decryptLocal, encryptLocal, isLocalCiphertext } from '../lock/data-key';
import { isSealed, sealNote } from '../protocol/sealed-note';

/** Thrown when a note is to be written while the instructor area is locked (no data key): it is never stored in clear. */
export class NotesLocked extends Error {
  constructor() {
    super('Notes can be written only while the instructor area is unlocked.');
  }
}

/** The note as stored here and as queued for the server. An empty note is empty in both. */
export async function protectNote(note: string): Promise<{ local: string; queued: string }> {
  if (note === '') return { local: '', queued: '' };
  const key = dataKey();
  if (!key) throw new NotesLocked();
  const local = await encryptLocal(note, key);
  const orgKey = await readOrgNoteKey(db());
  return { local, queued: orgKey ? await sealNote(note, orgKey.publicKey) : local };
}

/** A stored note as text: decrypted under the held data key; '' when locked or when it cannot be opened. */
export async function readNote(stored: unknown): Promise<string> {
  if (typeof stored !== 'string') return '';
  if (!isLocalCiphertext(stored)) return stored; // an older version's clear note, until the first unlock encrypts it
  const key = dataKey();
  return (key && (await decryptLocal(stored, key))) ?? '';
}

/** Rows with their notes readable, for the screens and the CSV of the unlocked area. */
export async function withReadableNotes<T extends Record<string, unknown>>(rows: readonly T[]): Promise<T[]> {
  return Promise.all(rows.map(async (row) => (typeof row.note === 'string' && row.note !== '' ? { ...row, note: await readNote(row.note) } : row)));
}

/**
 * At an unlock (the data key held) and after an enrolment: notes still in clear on the tablet go under the data key,
 * and queued notes that are not sealed yet are sealed if the organisation's key is known (else kept under the data
 * key, held back). Only the stored form changes: no clock, no new outbox row. Returns how many were changed.
 */
export async function protectStoredNotes(): Promise<{ encrypted: number; sealed: number }> {
  const key = dataKey();
  if (!key) return { encrypted: 0, sealed: 0 };
  const clear = await logRowsWithNote((note) => !isLocalCiphertext(note));
  const encryptedRows = new Map<string, NoteSwap>();
  for (const row of clear) encryptedRows.set(row.id, { was: row.note as string, now: await encryptLocal(row.note as string, key) });

  const orgKey = await readOrgNoteKey(db());
  const waiting = await waitingLogChangesWithNote((note) => !isSealed(note));
  const queued = new Map<number, NoteSwap>();
  for (const entry of waiting) {
    const was = entry.fields.note as string;
    const text = isLocalCiphertext(was) ? await decryptLocal(was, key) : was;
    if (text === undefined) continue; // under another tablet's key (a colleague's backup): it can only be thrown away
    const sealable = orgKey !== undefined && entry.org === orgKey.orgId;
    if (!sealable && isLocalCiphertext(was)) continue;
    queued.set(entry.seq!, { was, now: sealable ? await sealNote(text, orgKey.publicKey) : await encryptLocal(text, key) });
  }
  // WebCrypto ran above (it would end an IndexedDB transaction); the swap checks nothing changed meanwhile.
  const written = await swapNotes(encryptedRows, queued);
  return { encrypted: written.logs.length, sealed: written.queued.filter(isSealed).length };
}
