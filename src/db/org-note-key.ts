// Owns the organisation's note key on the tablet (README, "Session notes"): the public key notes are sealed to, kept
// with the organisation it belongs to (from the enrolment answer, or GET /v1/org-note-key for tablets enrolled before),
// and the rule that keeps a note not yet sealed from ever being sent.
import { importNotePublicKey, LOCAL_NOTE_PREFIX } from '../protocol/sealed-note';
import type { DigitukiDB } from './db';
import { readLocal, writeLocal } from './device-local';
import type { OutboxEntry } from './records';

export interface OrgNoteKey {
  orgId: string;
  publicKey: string;
}

/** The note key of the organisation this tablet is enrolled in now; undefined before it is known. */
export async function readOrgNoteKey(database: DigitukiDB): Promise<OrgNoteKey | undefined> {
  const [value, enrolment] = await Promise.all([
    readLocal(database, 'orgNoteKey') as Promise<Partial<OrgNoteKey> | undefined>,
    readLocal(database, 'enrolment'),
  ]);
  const orgId = enrolment?.orgId;
  if (typeof value?.orgId !== 'string' || typeof value.publicKey !== 'string' || value.orgId !== orgId) return undefined;
  return { orgId: value.orgId, publicKey: value.publicKey };
}

/** Keeps a key the server gave, if it is a P-256 public key; false (nothing kept) otherwise. */
export async function saveOrgNoteKey(database: DigitukiDB, orgId: string, publicKey: unknown): Promise<boolean> {
  if (typeof publicKey !== 'string' || !(await importNotePublicKey(publicKey))) return false;
  await writeLocal(database, 'orgNoteKey', { orgId, publicKey } satisfies OrgNoteKey);
  return true;
}

/** False for a change whose note is still under this tablet's data key: it waits to be sealed (sessions/notes.ts). */
export function readyForServer(entry: Pick<OutboxEntry, 'fields'>): boolean {
  const note = entry.fields.note;
  return !(typeof note === 'string' && note.startsWith(LOCAL_NOTE_PREFIX));
}
